// expect error 3:18: initializer element is not constant
int main(int argc) {
  static int x = argc;
  return x;
}
