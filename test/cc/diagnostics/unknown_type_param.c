// expect error 2:7: unknown type name 'pid_t'
int f(pid_t p) { return p; }
