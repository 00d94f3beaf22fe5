// expect error 5:7: used struct type value where scalar is required
struct s { int a; };
int main(void) {
  struct s v = {1};
  if (v) return 1;
  return 0;
}
