// expect error 2:9: braced-group within expression allowed only inside a function
int x = ({ 1; });
