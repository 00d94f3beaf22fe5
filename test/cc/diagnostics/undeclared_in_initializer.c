// expect error 4:34: 'y' undeclared (first use in this function)
struct in { int a; };
struct out { struct in i; int b; };
int main(void) { struct out o = {y, 2}; return o.b; }
