// String literals: escapes, concatenation, arrays vs pointers, sizeof, embedded NULs.
#include "test.h"

static int len(const char *s) {
  int n = 0;
  while (s[n]) n++;
  return n;
}
static int eq(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

int main(void) {
  ASSERT(5, len("hello"));
  ASSERT(6, sizeof("hello"));
  ASSERT(0, len(""));
  ASSERT(1, sizeof(""));
  ASSERT('e', "hello"[1]);
  ASSERT(0, "hello"[5]);
  ASSERT('l', *("hello" + 2));
  ASSERT(10, "a\nb"[1]);
  ASSERT(9, "\t"[0]);
  ASSERT(0, "a\0b"[1]);
  ASSERT(4, sizeof("a\0b"));
  ASSERT('b', "a\0b"[2]);
  ASSERT(1, len("a\0b"));
  ASSERT(8, "\b"[0]);
  ASSERT(7, "\a"[0]);
  ASSERT(27, "\e"[0]);
  ASSERT(12, "\f"[0]);
  ASSERT(11, "\v"[0]);
  ASSERT(13, "\r"[0]);
  ASSERT(92, "\\"[0]);
  ASSERT(34, "\""[0]);
  ASSERT(39, "\'"[0]);
  ASSERT(39, "'"[0]);
  ASSERT(63, "\?"[0]);
  ASSERT(65, "\101"[0]);
  ASSERT(1, "\1"[0]);
  ASSERT(83, "\123"[0]);
  ASSERT('4', "\1234"[1]);
  ASSERT(2, sizeof("\1234") - 1);
  ASSERT(-1, "\377"[0]);
  ASSERT(0x41, "\x41"[0]);
  ASSERT(-1, "\xff"[0]);
  ASSERT(255, (unsigned char)"\xff"[0]);
  ASSERT(0x12, "\x12g"[0]);
  ASSERT('g', "\x12g"[1]);
  ASSERT(12, sizeof("hello" " " "world"));
  ASSERT(1, eq("hello" " world", "hello world"));
  ASSERT(1, eq("con" "cat" "" "enation", "concatenation"));
  ASSERT(1, eq("\x41" "B", "AB"));
  const char *s = "pointer";
  ASSERT(8, sizeof(s));
  ASSERT(7, len(s));
  char arr[] = "array";
  ASSERT(6, sizeof(arr));
  arr[0] = 'A';
  ASSERT('A', arr[0]);
  ASSERT(1, eq(arr, "Array"));
  char buf[16] = "ab";
  buf[2] = 'c';
  ASSERT(1, eq(buf, "abc"));
  // Non-ASCII source characters are encoded in UTF-8.
  const char *u = "é";
  ASSERT(2, len(u));
  ASSERT(0xc3, (unsigned char)u[0]);
  ASSERT(0xa9, (unsigned char)u[1]);
  ASSERT(1, eq(u8"ok", "ok"));
  // Identical literals may or may not share storage: only compare contents.
  ASSERT(1, eq("same", "same"));
  // Strings in arrays of pointers.
  const char *words[] = {"alpha", "beta", "gamma"};
  int total = 0;
  for (int i = 0; i < 3; i++) total += len(words[i]);
  ASSERT(14, total);
  // __func__.
  ASSERT(1, eq(__func__, "main"));
  ASSERT(5, sizeof(__func__));
  // Escapes printed through the harness.
  test_puts("tab:\there, quote:\" backslash:\\ bell-less\n");
  test_puts("octal:\101\102\103 hex:\x44\x45\n");
  // Stringizing (#) of literals with quotes and backslashes, printed by SHOW and compared with gcc.
  SHOW(sizeof("a\"b\\c"));
  SHOW('\'' + '"' + 0);
  SHOW(len("tab\there") + '\n');
  // A long string.
  const char *longer = "0123456789012345678901234567890123456789012345678901234567890123456789"
                       "0123456789012345678901234567890123456789012345678901234567890123456789";
  ASSERT(140, len(longer));
  ASSERT('9', longer[139]);
  return DONE();
}
