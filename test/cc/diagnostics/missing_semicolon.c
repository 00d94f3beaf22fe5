// expect error 4:3: expected ',' or ';' before 'return'
int main(void) {
  int x = 1
  return x;
}
