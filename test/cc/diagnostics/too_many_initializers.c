// expect warning 3:21: excess elements in array initializer
int main(void) {
  int a[2] = {1, 2, 3};
  return a[0];
}
