// expect error 4:11: invalid use of undefined type 'struct missing'
struct missing;
int get(struct missing *p) {
  return p->field;
}
