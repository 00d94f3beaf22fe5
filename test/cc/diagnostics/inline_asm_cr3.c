// expect error 3:3: inline assembly is not supported on this machine; use lcr3(pa) from x86-64.h instead [gcc accepts]
void set_cr3(unsigned long pa) {
  asm volatile("movq %0, %%cr3" : : "r"(pa) : "memory");
}
