// expect error 5:11: request for member 'field' in something not a structure or union
int main(void) {
  int x = 0;
  int *p = &x;
  return p->field;
}
