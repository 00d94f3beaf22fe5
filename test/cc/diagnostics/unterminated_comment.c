// expect error 3:3: unterminated comment
int main(void) {
  /* this comment never ends
  return 0;
}
