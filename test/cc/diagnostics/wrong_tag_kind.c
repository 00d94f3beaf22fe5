// expect error 3:7: 's' defined as wrong kind of tag
struct s { int a; };
union s *p;
