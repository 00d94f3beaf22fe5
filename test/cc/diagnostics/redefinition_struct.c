// expect error 3:8: redefinition of 'struct s'
struct s { int a; };
struct s { int b; };
int main(void) { return 0; }
