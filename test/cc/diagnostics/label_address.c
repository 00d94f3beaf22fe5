// expect error 3:13: labels as values (&&label) are not supported [gcc accepts]
int main(void) {
  void *p = &&done;
done:
  return p != 0;
}
