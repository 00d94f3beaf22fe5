// expect error 3:16: expression in static assertion is not constant
int n = 3;
_Static_assert(n == 3, "n");
