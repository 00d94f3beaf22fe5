// expect warning 4:23: excess elements in struct initializer
struct s { int a, b; };
int main(void) {
  struct s v = {1, 2, 3};
  return v.a;
}
