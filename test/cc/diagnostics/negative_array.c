// expect error 2:5: size of array 'a' is negative
int a[-1];
