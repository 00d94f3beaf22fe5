// expect error 2:24: duplicate member 'a'
struct s { int a; long a; };
