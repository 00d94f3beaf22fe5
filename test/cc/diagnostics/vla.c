// expect error 3:9: variable-length arrays are not supported: the size must be an integer constant [gcc accepts]
int main(int n) {
  int a[n];
  return a[0];
}
