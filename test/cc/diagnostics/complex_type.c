// expect error 2:1: '_Complex' is not supported [gcc accepts]
_Complex int z;
