// expect error 4:3: undefined reference to 'missing' [gcc accepts]
int missing(int);
int main(void) {
  return missing(1);
}
