// expect warning 5:16: passing argument 1 of 'first' from incompatible pointer type (expected 'int *' but argument is of type 'long *')
int first(int *p) { return *p; }
int main(void) {
  long x = 1;
  return first(&x);
}
