// expect error 3:11: floating-point constants are not supported: WeensyOS code is built without floating point (-mno-sse) [gcc accepts]
int main(void) {
  int x = 2.5;
  return x;
}
