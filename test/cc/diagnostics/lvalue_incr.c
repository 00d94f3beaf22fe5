// expect error 4:6: lvalue required as increment operand
int f(void);
int main(void) {
  f()++;
  return 0;
}
