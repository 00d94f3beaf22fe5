// expect error 5:3: 'va_start' used in function with fixed arguments
typedef __builtin_va_list va_list;
int f(int n) {
  va_list ap;
  __builtin_va_start(ap, n);
  return 0;
}
