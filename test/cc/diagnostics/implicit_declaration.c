// expect warning 3:10: implicit declaration of function 'helper'
int main(void) {
  return helper(3);
}
int helper(int x) { return x; }
