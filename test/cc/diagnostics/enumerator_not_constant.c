// expect error 3:8: enumerator value for 'A' is not an integer constant
int n = 3;
enum { A = n };
