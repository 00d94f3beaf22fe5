// Struct layout against the facts and against gcc.
// 1. The WeensyOS structs (FACTS.md section 4), written in C, checked by a
//    compiled program: sizeof, offsetof and _Alignof as the lab's build has
//    them (x86_64_registers 192 bytes, proc 216, vamapping 24, a 4096-aligned
//    x86_64_pagetable). The program's ASSERTs hold the facts' numbers, so our
//    build is checked against the facts even without gcc, and gcc's build
//    checks the facts themselves.
// 2. Random records (seeded): members of every integer width, arrays, nested
//    structs and unions, bit-fields (zero-width and unnamed too), packed and
//    aligned attributes. A program prints every size, alignment, offset and
//    the bytes each bit-field occupies; our build must print what gcc's does
//    (or, without gcc, what the golden file recorded from gcc).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { C_DIR, hostGcc, runGcc, runSource } from './compile-helpers';
import { xorshift } from '../support/xorshift';

const WEENSYOS_LAYOUT = `#include "test.h"
typedef unsigned char uint8_t;
typedef signed char int8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long uint64_t;
typedef unsigned long uintptr_t;
typedef int pid_t;

typedef struct x86_64_registers {
  uint64_t reg_rax, reg_rcx, reg_rdx, reg_rbx, reg_rbp, reg_rsi, reg_rdi;
  uint64_t reg_r8, reg_r9, reg_r10, reg_r11, reg_r12, reg_r13, reg_r14, reg_r15;
  uint64_t reg_fs, reg_gs;
  uint64_t reg_intno;
  uint64_t reg_err;
  uint64_t reg_rip;
  uint16_t reg_cs;
  uint16_t reg_padding2[3];
  uint64_t reg_rflags;
  uint64_t reg_rsp;
  uint16_t reg_ss;
  uint16_t reg_padding3[3];
} x86_64_registers;

typedef uint64_t x86_64_pageentry_t;
typedef struct __attribute__((aligned(4096))) x86_64_pagetable {
  x86_64_pageentry_t entry[512];
} x86_64_pagetable;

typedef enum procstate { P_FREE = 0, P_RUNNABLE, P_BLOCKED, P_BROKEN } procstate_t;
typedef struct proc {
  pid_t p_pid;
  x86_64_registers p_registers;
  procstate_t p_state;
  x86_64_pagetable *p_pagetable;
} proc;
typedef struct physical_pageinfo { int8_t owner; int8_t refcount; } physical_pageinfo;
typedef struct vamapping { int pn; uintptr_t pa; int perm; } vamapping;

static physical_pageinfo pageinfo[512];
static x86_64_pagetable kernel_pagetables[5];
static proc processes[16];

int main(void) {
  ASSERT(192, sizeof(x86_64_registers));
  ASSERT(48, offsetof(x86_64_registers, reg_rdi));
  ASSERT(136, offsetof(x86_64_registers, reg_intno));
  ASSERT(144, offsetof(x86_64_registers, reg_err));
  ASSERT(152, offsetof(x86_64_registers, reg_rip));
  ASSERT(160, offsetof(x86_64_registers, reg_cs));
  ASSERT(162, offsetof(x86_64_registers, reg_padding2));
  ASSERT(168, offsetof(x86_64_registers, reg_rflags));
  ASSERT(176, offsetof(x86_64_registers, reg_rsp));
  ASSERT(184, offsetof(x86_64_registers, reg_ss));
  ASSERT(8, _Alignof(x86_64_registers));
  ASSERT(216, sizeof(proc));
  ASSERT(0, offsetof(proc, p_pid));
  ASSERT(8, offsetof(proc, p_registers));
  ASSERT(200, offsetof(proc, p_state));
  ASSERT(208, offsetof(proc, p_pagetable));
  ASSERT(8, _Alignof(proc));
  ASSERT(4, sizeof(procstate_t));
  ASSERT(4096, sizeof(x86_64_pagetable));
  ASSERT(4096, _Alignof(x86_64_pagetable));
  ASSERT(0, (uintptr_t)kernel_pagetables % 4096);
  ASSERT(4096, (char *)&kernel_pagetables[1] - (char *)&kernel_pagetables[0]);
  ASSERT(2, sizeof(physical_pageinfo));
  ASSERT(1, _Alignof(physical_pageinfo));
  ASSERT(1024, sizeof(pageinfo));
  ASSERT(24, sizeof(vamapping));
  ASSERT(0, offsetof(vamapping, pn));
  ASSERT(8, offsetof(vamapping, pa));
  ASSERT(16, offsetof(vamapping, perm));
  ASSERT(216 * 16, sizeof(processes));
  ASSERT(216 * 3 + 208, (char *)&processes[3].p_pagetable - (char *)processes);
  // The refcount is an int8_t: it wraps past 127, as the facts warn.
  pageinfo[0].refcount = 127;
  pageinfo[0].refcount++;
  ASSERT(-128, pageinfo[0].refcount);
  SHOW(sizeof(proc));
  SHOW(sizeof(x86_64_registers));
  return DONE();
}
`;

// ---------------------------------------------------------------- random records


const SCALARS: readonly [string, number][] = [
  ['char', 8], ['signed char', 8], ['unsigned char', 8], ['short', 16], ['unsigned short', 16],
  ['int', 32], ['unsigned', 32], ['long', 64], ['unsigned long', 64], ['_Bool', 1],
];

interface Member {
  readonly decl: string;
  readonly name?: string;
  readonly bitField: boolean;
}

/** Generates `count` record definitions and a main that prints their layout. */
export function randomLayoutProgram(seed: number, count: number): string {
  const rnd = xorshift(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rnd() % xs.length]!;
  const defs: string[] = [];
  const prints: string[] = [];
  for (let r = 0; r < count; r++) {
    const kind = rnd() % 5 === 0 ? 'union' : 'struct';
    const members: Member[] = [];
    const n = 1 + (rnd() % 7);
    for (let m = 0; m < n; m++) {
      const name = `m${m}`;
      const roll = rnd() % 10;
      const [type, bits] = pick(SCALARS);
      if (roll < 4 && type !== '_Bool') {
        // A bit-field: sometimes unnamed, sometimes zero-width (which must be unnamed).
        const width = rnd() % 6 === 0 ? 0 : 1 + (rnd() % bits);
        if (width === 0) members.push({ decl: `${type} : 0;`, bitField: true });
        else if (rnd() % 7 === 0) members.push({ decl: `${type} : ${width};`, bitField: true });
        else members.push({ decl: `${type} ${name} : ${width}${rnd() % 9 === 0 ? ' __attribute__((packed))' : ''};`, name, bitField: true });
      } else if (roll < 6) {
        members.push({ decl: `${type} ${name}[${1 + (rnd() % 5)}];`, name, bitField: false });
      } else if (roll === 6 && r > 0) {
        members.push({ decl: `struct r${rnd() % r} ${name};`, name, bitField: false });
      } else if (roll === 7) {
        members.push({ decl: `${type} ${name} __attribute__((aligned(${pick([1, 2, 4, 8, 16, 32])})));`, name, bitField: false });
      } else {
        members.push({ decl: `${type} ${name};`, name, bitField: false });
      }
    }
    // Every record needs a named member for the union/struct to be valid C.
    if (!members.some((m) => m.name)) members.push({ decl: 'int last;', name: 'last', bitField: false });
    const attrRoll = rnd() % 8;
    const attr = attrRoll === 0 ? ' __attribute__((packed))' : attrRoll === 1 ? ` __attribute__((aligned(${pick([2, 4, 8, 16, 64])})))` : '';
    // Unions hold nested struct members by name only; keep them simple.
    defs.push(`${kind} r${r} { ${members.map((m) => m.decl).join(' ')} }${attr};`);
    // Nested `struct rK` members refer to earlier records, which may be unions: spell the kind right.
    prints.push(`  SHOW(sizeof(${kind} r${r}));`, `  SHOW(_Alignof(${kind} r${r}));`);
    for (const m of members) {
      if (!m.name) continue;
      if (!m.bitField) prints.push(`  SHOW(offsetof(${kind} r${r}, ${m.name}));`);
      else {
        // Store all ones and show the bytes it set; read back an all-ones and a mixed pattern (sign extension).
        prints.push(`  { ${kind} r${r} v; test_memset(&v, 0, sizeof v); v.${m.name} = -1; test_putbytes("r${r}.${m.name}", &v, sizeof v);`
          + ` SHOW(v.${m.name}); v.${m.name} = 0x5a5a5a5a5a5a5a5aUL; SHOW(v.${m.name}); test_memset(&v, 0xa5, sizeof v); SHOW(v.${m.name} + 0); }`);
      }
    }
  }
  // Fix the kinds of nested members now that every record's kind is known.
  const kinds = defs.map((d) => d.slice(0, d.indexOf(' ')));
  const fixed = defs.map((d) => d.replace(/struct (r\d+) (m\d+);/g, (_m, tag: string, name: string) => `${kinds[Number(tag.slice(1))]} ${tag} ${name};`));
  return `#include "test.h"
static void test_memset(void *p, int c, unsigned long n) { unsigned char *b = p; while (n--) *b++ = c; }
static void test_putbytes(const char *what, const void *p, unsigned long n) {
  const unsigned char *b = p;
  test_puts(what);
  test_puts(" =");
  for (unsigned long i = 0; i < n; i++) { test_putc(' '); test_putc("0123456789abcdef"[b[i] >> 4]); test_putc("0123456789abcdef"[b[i] & 15]); }
  test_putc('\\n');
}
${fixed.join('\n')}
int main(void) {
${prints.join('\n')}
  return DONE();
}
`;
}

const gcc = hostGcc();

describe('struct layout', () => {
  it('lays out the WeensyOS structs as the facts say', async () => {
    const ours = runSource(WEENSYOS_LAYOUT);
    expect(ours.stdout).toMatch(/checks, 0 failed\n$/);
    expect(ours.stdout).toContain('sizeof(proc) = 216\n');
    expect(ours.status).toBe(0);
    if (gcc) {
      const theirs = await runGcc([], [C_DIR], { name: 'inline.c', text: WEENSYOS_LAYOUT });
      expect(ours.stdout).toBe(theirs.stdout);
      expect(ours.status).toBe(theirs.status);
    }
  });

  it('lays out random records as gcc does', async () => {
    const program = randomLayoutProgram(20240611, 120);
    const ours = runSource(program);
    expect(ours.stop).toBe('exit 0');
    // Sanity: the program printed something for every record.
    expect(ours.stdout.split('\n').filter((l) => l.startsWith('sizeof(')).length).toBe(120);
    const golden = join(C_DIR, 'layout_random.golden');
    if (gcc) {
      const theirs = await runGcc([], [C_DIR], { name: 'inline.c', text: program });
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, theirs.stdout);
      expect(ours.stdout).toBe(theirs.stdout);
      expect(existsSync(golden) ? readFileSync(golden, 'latin1') : '(missing)', 'layout_random.golden is stale: UPDATE_GOLDEN=1').toBe(theirs.stdout);
    } else {
      expect(ours.stdout).toBe(readFileSync(golden, 'latin1'));
    }
  }, 60_000);
});
