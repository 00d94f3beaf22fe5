// expect error 3:10: 'y' undeclared (first use in this function)
int main(void) {
  return y + 1;
}
