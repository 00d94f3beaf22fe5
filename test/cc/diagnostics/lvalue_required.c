// expect error 4:9: lvalue required as left operand of assignment
int main(void) {
  int x = 1;
  x + 1 = 2;
  return x;
}
