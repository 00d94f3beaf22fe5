// Compiler builtins: the stdarg operations, offsetof, expect, constant_p,
// types_compatible_p, unreachable/trap, and the machine intrinsics behind
// the x86-64.h helpers (one WS64 instruction each). Inline assembly is
// rejected with a diagnostic naming the helper that does the same job.

import type { Expr, IntrinsicName } from '../ast';
import { findField } from '../layout';
import { compatible, INT, isRecord, sizeOf, typeName, ULONG, unqualified, VOID, SIZE_T, type Type } from '../types';
import { skipBalanced } from './attributes';
import { convert, decay } from './conversions';
import { parseTypeName } from './declarators';
import { parseAssignment } from './expressions';
import { constantValue } from './fold';
import { ParseAbort, type Parser } from './parser';

/** An expression node before its range is known. */
type WithoutRange<T> = T extends unknown ? Omit<T, 'range'> : never;

/** Machine intrinsics: name -> [parameter count, returns a value]. */
const MACHINE: Readonly<Record<string, [IntrinsicName, number, boolean]>> = {
  __builtin_ws_lcr0: ['lcr0', 1, false], __builtin_ws_rcr0: ['rcr0', 0, true], __builtin_ws_rcr2: ['rcr2', 0, true],
  __builtin_ws_lcr3: ['lcr3', 1, false], __builtin_ws_rcr3: ['rcr3', 0, true], __builtin_ws_lcr4: ['lcr4', 1, false],
  __builtin_ws_rcr4: ['rcr4', 0, true], __builtin_ws_invlpg: ['invlpg', 1, false],
  __builtin_ws_inb: ['inb', 1, true], __builtin_ws_inw: ['inw', 1, true], __builtin_ws_inl: ['inl', 1, true],
  __builtin_ws_outb: ['outb', 2, false], __builtin_ws_outw: ['outw', 2, false], __builtin_ws_outl: ['outl', 2, false],
  __builtin_ws_hlt: ['hlt', 0, false], __builtin_ws_cli: ['cli', 0, false], __builtin_ws_sti: ['sti', 0, false],
  __builtin_ws_read_rflags: ['read_rflags', 0, true], __builtin_ws_read_rsp: ['read_rsp', 0, true], __builtin_ws_read_rbp: ['read_rbp', 0, true],
  __builtin_ws_iret: ['iret', 1, false], __builtin_ws_lidt: ['lidt', 1, false], __builtin_ws_ltr: ['ltr', 1, false],
  // __builtin_ws_int(n, arg): `int n` with arg in rdi; the kernel returns a value in rax.
  __builtin_ws_int: ['int', 2, true],
};

const OTHERS = new Set([
  '__builtin_va_start', '__builtin_va_arg', '__builtin_va_end', '__builtin_va_copy', '__builtin_offsetof', '__builtin_expect',
  '__builtin_constant_p', '__builtin_types_compatible_p', '__builtin_unreachable', '__builtin_trap',
]);

export function isBuiltinName(name: string): boolean {
  return name in MACHINE || OTHERS.has(name);
}

export function parseBuiltin(p: Parser): Expr {
  const nameTok = p.next();
  const name = nameTok.text;
  p.expect('(', `after '${name}'`);
  const done = (e: WithoutRange<Expr>): Expr => ({ ...e, range: p.rangeFrom(nameTok) }) as Expr;
  const machine = MACHINE[name];
  if (machine) {
    const [op, count, returns] = machine;
    const args: Expr[] = [];
    if (!p.is(')')) {
      do args.push(convert(decay(parseAssignment(p)), ULONG));
      while (p.accept(','));
    }
    p.expect(')');
    if (args.length !== count) p.error(p.rangeFrom(nameTok), `'${name}' takes ${count} argument${count === 1 ? '' : 's'}`);
    else if (op === 'int') {
      const v = constantValue(args[0]!);
      if (v === undefined || v < 0n || v > 255n) p.error(args[0]!.range, `the vector of '${name}' must be a constant from 0 to 255`);
    }
    return done({ kind: 'intrinsic', name: op, args, type: returns ? ULONG : VOID });
  }
  switch (name) {
    case '__builtin_va_start': {
      const ap = parseAssignment(p);
      if (p.accept(',')) parseAssignment(p); // the last named parameter: our calling convention does not need it
      p.expect(')');
      if (!p.fn || !p.fn.symbol.type.variadic) p.error(p.rangeFrom(nameTok), "'va_start' used in function with fixed arguments");
      if (p.fn) p.fn.symbol.usesVarargs = true;
      return done({ kind: 'intrinsic', name: 'va_start', args: [decay(ap)], type: VOID });
    }
    case '__builtin_va_arg': {
      const ap = parseAssignment(p);
      p.expect(',');
      const t = parseTypeName(p);
      p.expect(')');
      if (t.kind !== 'int' && t.kind !== 'pointer' && t.kind !== 'enum') p.error(p.rangeFrom(nameTok), `va_arg of type '${typeName(t)}' is not supported (use an integer or pointer type)`);
      return done({ kind: 'intrinsic', name: 'va_arg', args: [decay(ap)], argType: t, type: unqualified(t) });
    }
    case '__builtin_va_end': {
      const ap = parseAssignment(p);
      p.expect(')');
      return done({ kind: 'intrinsic', name: 'va_end', args: [decay(ap)], type: VOID });
    }
    case '__builtin_va_copy': {
      const dst = parseAssignment(p);
      p.expect(',');
      const src = parseAssignment(p);
      p.expect(')');
      return done({ kind: 'intrinsic', name: 'va_copy', args: [decay(dst), decay(src)], type: VOID });
    }
    case '__builtin_offsetof':
      return parseOffsetof(p, nameTok);
    case '__builtin_expect': {
      const e = parseAssignment(p);
      p.expect(',');
      parseAssignment(p);
      p.expect(')');
      return { ...decay(e), range: p.rangeFrom(nameTok) } as Expr;
    }
    case '__builtin_constant_p': {
      const e = parseAssignment(p);
      p.expect(')');
      return done({ kind: 'int', value: constantValue(e) !== undefined ? 1n : 0n, type: INT });
    }
    case '__builtin_types_compatible_p': {
      const a = parseTypeName(p);
      p.expect(',');
      const b = parseTypeName(p);
      p.expect(')');
      return done({ kind: 'int', value: compatible(unqualified(a), unqualified(b)) ? 1n : 0n, type: INT });
    }
    case '__builtin_unreachable':
    case '__builtin_trap':
      p.expect(')');
      return done({ kind: 'intrinsic', name: name === '__builtin_trap' ? 'trap' : 'unreachable', args: [], type: VOID });
  }
  p.errorAt(nameTok, `unknown builtin '${name}'`);
  throw new ParseAbort();
}

/** __builtin_offsetof(type, member-designator), with nested members and constant array indices. */
function parseOffsetof(p: Parser, start: Parser['tok']): Expr {
  let type: Type = parseTypeName(p);
  p.expect(',');
  let offset = 0;
  let first = true;
  for (;;) {
    if (first || p.accept('.')) {
      const m = p.next();
      if (!isRecord(type) || !type.tag.complete) {
        p.error(p.rangeFrom(start), `offsetof of '${m.text}' in '${typeName(type)}', which is not a complete struct or union`);
        throw new ParseAbort();
      }
      const f = findField(type.tag, m.text);
      if (!f) {
        p.error(p.rangeFrom(start), `'${typeName(type)}' has no member named '${m.text}'`);
        throw new ParseAbort();
      }
      if (f.field.bitWidth !== undefined) p.error(p.rangeFrom(start), `attempt to take address of bit-field '${m.text}'`);
      offset += f.offset;
      type = f.field.type;
      first = false;
    } else if (p.accept('[')) {
      const e = parseAssignment(p);
      p.expect(']');
      const v = constantValue(e);
      if (type.kind !== 'array' || v === undefined) p.error(e.range, 'offsetof with a non-constant index or a non-array');
      else {
        offset += Number(v) * sizeOf(type.of);
        type = type.of;
      }
    } else break;
  }
  p.expect(')');
  return { kind: 'int', value: BigInt(offset), type: SIZE_T, range: p.rangeFrom(start) };
}

/** Which x86-64.h helper does what an inline-asm string does. */
function helperFor(asm: string): string {
  const a = asm.toLowerCase();
  if (/%%?cr3/.test(a)) return /mov[lq]?\s+%%?cr3/.test(a) ? 'rcr3()' : 'lcr3(pa)';
  if (/%%?cr2/.test(a)) return 'rcr2()';
  if (/%%?cr0/.test(a)) return a.includes('mov') && /,\s*%%?cr0/.test(a) ? 'lcr0(v)' : 'rcr0()';
  if (a.includes('invlpg')) return 'invlpg(va)';
  if (/\bin[bwl]?\b/.test(a)) return 'inb(port)';
  if (/\bout[bwl]?\b/.test(a)) return 'outb(port, value)';
  if (a.includes('hlt')) return 'hlt()';
  if (a.includes('iret')) return 'exception_return(reg)';
  if (a.includes('pushf')) return 'read_rflags()';
  if (a.includes('%rsp') || a.includes('%%rsp')) return 'read_rsp()';
  if (a.includes('cli')) return 'cli()';
  if (a.includes('sti')) return 'sti()';
  return 'one of the helpers in x86-64.h';
}

/** `asm(...)` / `__asm__ volatile(...)`: not supported; point at the helper to use. */
export function rejectInlineAsm(p: Parser): Expr {
  const start = p.next();
  while (p.tok.kind === 'identifier' && ['volatile', '__volatile__', 'goto', 'inline'].includes(p.tok.text)) p.next();
  let text = '';
  if (p.accept('(')) {
    const from = p.pos;
    skipBalanced(p);
    for (let i = from; i < p.pos; i++) if (p.tokens[i]!.kind === 'string') text += p.tokens[i]!.text;
  }
  p.error(p.rangeFrom(start), `inline assembly is not supported on this machine; use ${helperFor(text)} from x86-64.h instead`);
  return { kind: 'int', value: 0n, type: INT, range: p.rangeFrom(start) };
}

