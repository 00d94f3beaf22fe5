// expect error 3:5: 'f' redeclared as different kind of symbol
int f;
int f(void) { return 0; }
