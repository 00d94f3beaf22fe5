// expect error 4:17: invalid application of 'sizeof' to incomplete type 'struct missing'
struct missing;
int main(void) {
  return sizeof(struct missing);
}
