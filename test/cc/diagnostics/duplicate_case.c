// expect error 6:3: duplicate case value
int main(int argc) {
  switch (argc) {
  case 1: return 1;
  case 2: return 2;
  case 1: return 3;
  }
  return 0;
}
