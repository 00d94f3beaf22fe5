// expect error 3:3: unknown type name 'uint64_t'
int main(void) {
  uint64_t x = 0;
  return (int)x;
}
