// expect error 2:16: expected '}' at end of input: this '{' is never closed
int main(void) {
  if (1) {
    return 0;
}
