// expect error 4:18: storage size of 'm' isn't known
struct missing;
int main(void) {
  struct missing m;
  return 0;
}
