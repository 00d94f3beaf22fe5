// expect error 5:11: invalid type argument of '->' (have 'struct s')
struct s { int a; };
int main(void) {
  struct s v;
  return v->a;
}
