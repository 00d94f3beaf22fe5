// expect error 3:3: inline assembly is not supported on this machine; use hlt() from x86-64.h instead [gcc accepts]
void wait(void) {
  __asm__ __volatile__("hlt");
}
