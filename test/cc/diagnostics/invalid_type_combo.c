// expect error 3:12: both 'signed' and 'unsigned' in declaration specifiers
int main(void) {
  unsigned signed int x = 1;
  return x;
}
