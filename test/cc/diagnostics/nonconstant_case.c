// expect error 5:3: case label does not reduce to an integer constant
int main(int argc) {
  int k = 2;
  switch (argc) {
  case k: return 1;
  }
  return 0;
}
