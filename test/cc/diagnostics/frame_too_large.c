// expect error 2:5: the frame of 'main' needs 70000 bytes; at most 65535 are supported [gcc accepts]
int main(void) {
  char buffer[70000];
  buffer[0] = 1;
  return buffer[0];
}
