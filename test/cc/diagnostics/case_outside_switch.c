// expect error 3:3: case label not within a switch statement
int main(void) {
  case 1: return 0;
}
