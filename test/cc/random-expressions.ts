// Random integer expressions for differential testing against gcc: every
// integer type, promotions and the usual arithmetic conversions, casts,
// shifts, division, comparisons, logical and conditional operators, and
// compound assignment. The generator keeps a model of C's typing rules so it
// never writes undefined behaviour: signed +, -, * and << are computed in the
// corresponding unsigned type and converted back (which gcc defines as
// wrapping), divisors are 1..256, shift counts 0..15.

import { xorshift } from '../support/xorshift';

type Kind = 'bool' | 'char' | 'schar' | 'uchar' | 'short' | 'ushort' | 'int' | 'uint' | 'long' | 'ulong';

const SPELL: Record<Kind, string> = {
  bool: '_Bool', char: 'char', schar: 'signed char', uchar: 'unsigned char', short: 'short', ushort: 'unsigned short',
  int: 'int', uint: 'unsigned', long: 'long', ulong: 'unsigned long',
};
const SIZE: Record<Kind, number> = { bool: 1, char: 1, schar: 1, uchar: 1, short: 2, ushort: 2, int: 4, uint: 4, long: 8, ulong: 8 };
const SIGNED: Record<Kind, boolean> = { bool: false, char: true, schar: true, uchar: false, short: true, ushort: false, int: true, uint: false, long: true, ulong: false };
const KINDS = Object.keys(SPELL) as Kind[];
const UNSIGNED_OF: Partial<Record<Kind, Kind>> = { int: 'uint', long: 'ulong' };

function promote(k: Kind): Kind {
  return SIZE[k] < 4 ? 'int' : k;
}
function common(a: Kind, b: Kind): Kind {
  const x = promote(a);
  const y = promote(b);
  if (x === y) return x;
  if (SIZE[x] !== SIZE[y]) return SIZE[x] > SIZE[y] ? x : y;
  return SIGNED[x] ? y : x; // same size, one unsigned: the unsigned one
}

interface E {
  readonly text: string;
  readonly kind: Kind;
}


export function randomExpressionProgram(seed: number, count: number): string {
  const rnd = xorshift(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rnd() % xs.length]!;
  const vars: { name: string; kind: Kind; init: string }[] = [];
  const interesting = ['0', '1', '-1', '2', '7', '127', '128', '255', '256', '-128', '32767', '-32768', '65535', '0x7fffffff', '0x80000000', '0xffffffff', '0x100000000', '0x7fffffffffffffff', '0x8000000000000000', '-2', '100', '12345'];
  for (let i = 0; i < 24; i++) {
    const kind = KINDS[i % KINDS.length]!;
    vars.push({ name: `v${i}`, kind, init: rnd() % 3 === 0 ? `${rnd() % 1000}` : pick(interesting) });
  }
  const constant = (): E => {
    const suffix = pick(['', '', 'u', 'l', 'ul']);
    const v = pick(interesting.filter((s) => !s.startsWith('-')));
    const kind: Kind = suffix === 'u' ? (BigInt(v) > 0xffffffffn ? 'ulong' : 'uint') : suffix === 'l' ? (BigInt(v) > 0x7fffffffffffffffn ? 'ulong' : 'long') : suffix === 'ul' ? 'ulong'
      : BigInt(v) <= 0x7fffffffn ? 'int' : v.startsWith('0x') ? (BigInt(v) <= 0xffffffffn ? 'uint' : BigInt(v) <= 0x7fffffffffffffffn ? 'long' : 'ulong') : 'long';
    return { text: `${v}${suffix}`, kind };
  };
  const gen = (depth: number): E => {
    if (depth <= 0 || rnd() % 5 === 0) {
      if (rnd() % 3 === 0) return constant();
      const v = pick(vars);
      return { text: v.name, kind: v.kind };
    }
    const a = gen(depth - 1);
    switch (rnd() % 13) {
      case 0: {
        const k = pick(KINDS);
        return { text: `((${SPELL[k]})${a.text})`, kind: k };
      }
      case 1: {
        const p = promote(a.kind);
        const u = UNSIGNED_OF[p];
        return u ? { text: `((${SPELL[p]})-(${SPELL[u]})${a.text})`, kind: p } : { text: `(-${a.text})`, kind: p };
      }
      case 2:
        return { text: `(~${a.text})`, kind: promote(a.kind) };
      case 3:
        return { text: `(!${a.text})`, kind: 'int' };
      case 4:
      case 5:
      case 6: {
        const b = gen(depth - 1);
        const op = pick(['+', '-', '*']);
        const c = common(a.kind, b.kind);
        const u = UNSIGNED_OF[c];
        return u ? { text: `((${SPELL[c]})((${SPELL[u]})${a.text} ${op} (${SPELL[u]})${b.text}))`, kind: c } : { text: `(${a.text} ${op} ${b.text})`, kind: c };
      }
      case 7: {
        const b = gen(depth - 1);
        const op = pick(['/', '%']);
        const d: E = { text: `((${b.text} & 255) + 1)`, kind: common(b.kind, 'int') };
        return { text: `(${a.text} ${op} ${d.text})`, kind: common(a.kind, d.kind) };
      }
      case 8: {
        const b = gen(depth - 1);
        const p = promote(a.kind);
        const count = `(${b.text} & 15)`;
        if (rnd() % 2) return { text: `(${a.text} >> ${count})`, kind: p };
        const u = UNSIGNED_OF[p];
        return u ? { text: `((${SPELL[p]})((${SPELL[u]})${a.text} << ${count}))`, kind: p } : { text: `(${a.text} << ${count})`, kind: p };
      }
      case 9: {
        const b = gen(depth - 1);
        const op = pick(['&', '|', '^']);
        return { text: `(${a.text} ${op} ${b.text})`, kind: common(a.kind, b.kind) };
      }
      case 10: {
        const b = gen(depth - 1);
        const op = pick(['<', '<=', '>', '>=', '==', '!=']);
        return { text: `(${a.text} ${op} ${b.text})`, kind: 'int' };
      }
      case 11: {
        const b = gen(depth - 1);
        return { text: `(${a.text} ${pick(['&&', '||'])} ${b.text})`, kind: 'int' };
      }
      case 12: {
        const b = gen(depth - 1);
        const c = gen(depth - 1);
        return { text: `(${a.text} ? ${b.text} : ${c.text})`, kind: common(b.kind, c.kind) };
      }
      default:
        return a;
    }
  };
  /** A compound assignment, only ever at the top of an expression (so no variable is read and written unsequenced). */
  const assignment = (depth: number): E => {
    const a = gen(depth);
    {
      {
        // Compound assignment to an unsigned or narrow variable (no signed overflow: narrowing conversions wrap).
        const targets = vars.filter((v) => !SIGNED[v.kind] || SIZE[v.kind] < 4);
        const t = pick(targets);
        const op = pick(['+=', '-=', '*=', '&=', '|=', '^=', '=']);
        if (SIGNED[t.kind] && op !== '=' && !['&=', '|=', '^='].includes(op)) {
          // A narrow signed target: the operation happens in int, where it could overflow; use the unsigned form.
          return { text: `(${t.name} = (${SPELL[t.kind]})((unsigned)${t.name} ${op[0]} (unsigned)${a.text}))`, kind: t.kind };
        }
        return { text: `(${t.name} ${op} ${a.text})`, kind: t.kind };
      }
    }
  };
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const e = rnd() % 5 === 0 ? assignment(1 + (rnd() % 3)) : gen(1 + (rnd() % 4));
    lines.push(`  SHOW(${e.text});`);
  }
  return `#include "test.h"
${vars.map((v) => `static ${SPELL[v.kind]} ${v.name} = ${v.init};`).join('\n')}
int main(void) {
${lines.join('\n')}
  return DONE();
}
`;
}
