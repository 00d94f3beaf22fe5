// expect warning 4:12: division by zero
int main(void) {
  int x = 1;
  return x / 0;
}
