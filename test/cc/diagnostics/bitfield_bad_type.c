// expect error 3:8: bit-field 'p' has invalid type
struct s {
  int *p : 3;
};
int main(void) { return 0; }
