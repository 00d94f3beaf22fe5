// expect error 5:11: switch quantity not an integer (have 'struct s')
struct s { int a; };
int main(void) {
  struct s v = {1};
  switch (v) {
  default: return 0;
  }
}
