// expect error 7:8: incompatible types when assigning to type 'struct a' from type 'struct b'
struct a { int x; };
struct b { int x; };
int main(void) {
  struct a va;
  struct b vb;
  va = vb;
  return 0;
}
