// expect error 4:11: subscripted value is neither array nor pointer
int main(void) {
  int x = 1;
  return x[0];
}
