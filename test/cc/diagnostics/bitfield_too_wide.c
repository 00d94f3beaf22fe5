// expect error 3:7: width of 'a' exceeds its type
struct s {
  int a : 33;
};
int main(void) { return 0; }
