// expect error 3:1: static assertion failed: "struct s must be packed"
struct s { char c; long l; };
_Static_assert(sizeof(struct s) == 9, "struct s must be packed");
