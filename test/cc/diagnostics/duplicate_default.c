// expect error 6:3: multiple default labels in one switch
int main(int argc) {
  switch (argc) {
  default: return 1;
  case 2: return 2;
  default: return 3;
  }
}
