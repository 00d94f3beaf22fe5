// expect error 4:10: too many arguments to function 'add' (expected 2, have 3)
int add(int a, int b) { return a + b; }
int main(void) {
  return add(1, 2, 3);
}
