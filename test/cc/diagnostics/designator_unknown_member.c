// expect error 3:20: 'struct point' has no member named 'z'
struct point { int x, y; };
struct point p = {.z = 1};
