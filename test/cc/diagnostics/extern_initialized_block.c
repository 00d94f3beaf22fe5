// expect error 3:14: 'shared' has both 'extern' and initializer
int main(void) {
  extern int shared = 3;
  return shared;
}
