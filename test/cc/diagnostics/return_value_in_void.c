// expect warning 3:10: 'return' with a value, in function returning void
void f(void) {
  return 1;
}
