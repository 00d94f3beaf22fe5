// expect error 4:5: assignment to expression with array type
int main(void) {
  int a[2], b[2];
  a = b;
  return 0;
}
