// expect error 3:10: long double constants are not supported [gcc accepts]
int main(void) {
  return 1.0L > 0;
}
