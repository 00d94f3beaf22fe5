// expect error 3:3: floating-point types are not supported: WeensyOS code is built without floating point (-mno-sse) [gcc accepts]
int main(void) {
  double d = 1;
  return (int)d;
}
