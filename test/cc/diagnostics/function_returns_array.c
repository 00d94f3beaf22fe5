// expect error 2:5: 'f' declared as function returning an array
int f(void)[3];
