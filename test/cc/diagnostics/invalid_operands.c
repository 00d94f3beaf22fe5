// expect error 5:12: invalid operands to binary + (have 'struct s' and 'int')
struct s { int x; };
int main(void) {
  struct s v;
  return v + 1;
}
