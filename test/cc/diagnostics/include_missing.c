// expect error 2:10: does-not-exist.h: No such file or directory (searched ., the built-in headers)
#include "does-not-exist.h"
int main(void) { return 0; }
