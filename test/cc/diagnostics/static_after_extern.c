// expect error 3:12: static declaration of 'counter' follows non-static declaration
int counter;
static int counter;
