// expect error 4:11: request for member 'field' in something not a structure or union
int main(void) {
  int x = 1;
  return x.field;
}
