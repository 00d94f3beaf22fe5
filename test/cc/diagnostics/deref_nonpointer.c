// expect error 4:10: invalid type argument of unary '*' (have 'int')
int main(void) {
  int x = 1;
  return *x;
}
