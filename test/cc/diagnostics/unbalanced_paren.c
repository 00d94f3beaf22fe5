// expect error 3:16: expected ')' to close the parenthesized expression before ';' token
int main(void) {
  return (1 + 2;
}
