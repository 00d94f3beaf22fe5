// expect warning 3:15: excess elements in scalar initializer
int main(void) {
  int x = {1, 2};
  return x;
}
