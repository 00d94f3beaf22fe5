// expect error 5:11: 'struct s' has no member named 'b'
struct s { int a; };
int main(void) {
  struct s v;
  return v.b;
}
