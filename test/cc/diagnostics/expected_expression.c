// expect error 3:14: expected expression before ';' token
int main(void) {
  return 1 + ;
}
