// expect error 5:12: cannot take address of bit-field 'a'
struct s { int a : 3; };
int main(void) {
  struct s v;
  int *p = &v.a;
  return *p;
}
