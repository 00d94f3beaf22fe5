// expect error 2:9: old-style parameter lists are not supported: give each parameter its type, as in 'int f(int a, int b)' [gcc accepts]
int add(a, b)
int a, b;
{
  return a + b;
}
