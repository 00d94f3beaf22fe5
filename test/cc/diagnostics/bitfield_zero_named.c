// expect error 3:7: zero width for bit-field 'a'
struct s {
  int a : 0;
};
int main(void) { return 0; }
