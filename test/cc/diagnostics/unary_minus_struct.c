// expect error 5:10: wrong type argument to unary minus
struct s { int a; };
int main(void) {
  struct s v = {1};
  return -v;
}
