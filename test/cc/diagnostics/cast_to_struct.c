// expect error 4:16: conversion to non-scalar type requested
struct s { int a; };
int main(void) {
  struct s v = (struct s)1;
  return v.a;
}
