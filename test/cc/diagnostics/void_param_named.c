// expect error 2:12: parameter 1 ('x') has incomplete type
int f(void x) { return 0; }
