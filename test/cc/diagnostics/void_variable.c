// expect error 3:8: variable or field 'v' declared void
int main(void) {
  void v;
  return 0;
}
