// expect error 4:3: inline assembly is not supported on this machine; use rcr2() from x86-64.h instead [gcc accepts]
unsigned long fault_address(void) {
  unsigned long v;
  asm("movq %%cr2, %0" : "=r"(v));
  return v;
}
