// expect error 2:5: declaration of 'table' as array of functions
int table[3](int);
