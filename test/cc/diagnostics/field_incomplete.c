// expect error 3:29: field 'in' has incomplete type 'struct inner'
struct inner;
struct outer { struct inner in; int x; };
