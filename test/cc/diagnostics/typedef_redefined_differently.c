// expect error 3:14: conflicting types for 'T'; have 'long'
typedef int T;
typedef long T;
