// expect error 3:9: initializer element is not constant
int f(void);
int g = f();
int main(void) { return g; }
