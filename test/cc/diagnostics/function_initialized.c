// expect error 2:5: function 'f' is initialized like a variable
int f(void) = 0;
