// expect error 3:2: #error "set CONFIGURED first"
#ifndef CONFIGURED
#error "set CONFIGURED first"
#endif
