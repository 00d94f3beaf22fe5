// expect warning 3:11: initialization of 'int' from 'char *' makes integer from pointer without a cast
int main(void) {
  int x = "text";
  return x;
}
