// expect warning 2:19: integer constant is too large for its type
unsigned long x = 123456789012345678901234567890;
