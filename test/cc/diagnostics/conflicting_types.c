// expect error 3:6: conflicting types for 'f'; have 'long (int)'
int f(int x);
long f(int x) { return x; }
int main(void) { return 0; }
