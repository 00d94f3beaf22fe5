// expect error 5:1: duplicate label 'again'
int main(void) {
again:
  ;
again:
  return 0;
}
