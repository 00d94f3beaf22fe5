// expect error 2:14: array index in initializer exceeds array bounds
int a[4] = {[5] = 1};
