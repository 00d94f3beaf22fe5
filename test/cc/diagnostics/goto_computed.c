// expect error 4:8: computed goto is not supported [gcc accepts]
int main(void) {
  void *target = 0;
  goto *target;
}
