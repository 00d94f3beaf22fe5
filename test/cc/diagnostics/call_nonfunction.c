// expect error 4:10: called object 'x' is not a function or function pointer
int main(void) {
  int x = 1;
  return x(2);
}
