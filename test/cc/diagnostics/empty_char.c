// expect error 2:9: empty character constant
int c = '';
