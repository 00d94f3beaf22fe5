// expect error 3:13: array type has incomplete element type 'struct node'
struct node;
struct node nodes[4];
