// The variables-reference table of a stopped machine: the numbers DAP's
// scopes/variables/setVariable requests use, each standing for a lazily
// expanded container (a scope, a struct, an array slice, a pointer's
// target, a page table). Numbers are valid until `reset`, which the
// session calls on every stop, as DAP requires.
//
// Scopes per frame: Locals, Globals (file statics included), Registers,
// Control registers, Current process (*current) and Page table (the
// frame's CR3 as an L1-L4 tree of decoded entries).

import { hex } from '../../machine/hex';
import { PHYSICAL, type AddressSpace } from './address-space';
import { CR0_BITS, CR4_BITS, describeBits, describeRflags, EFER_BITS, RFLAGS_BITS, type FlagBit } from './control-registers';
import { isScalar, namedFields, sizeOf, strip, typeName } from './c-types';
import { EvalError, registerName, scalarOf, storeScalar, toAddress, type CValue } from './c-value';
import { evaluateIn } from './evaluate-core';
import { Evaluator } from './evaluator';
import { formatValue, memberOf } from './format-value';
import type { FrameContext } from './frame-context';
import { frameScope, imageGlobals, lookupName, visibleLocals, type FrameScope } from './frame-scope';
import { symbolize } from './images';
import { memoryReference } from './memory';
import { decodeEntry, LEVEL_SPAN, ownerText, readTableEntries, type DecodedEntry } from './page-entries';
import { LEVEL_NAMES } from '../../machine/mmu/walk';
import { R } from '../../machine/int64';

/** A DAP Variable. */
export interface DebugVariable {
  readonly name: string;
  readonly value: string;
  readonly type?: string;
  readonly variablesReference: number;
  readonly namedVariables?: number;
  readonly indexedVariables?: number;
  readonly memoryReference?: string;
  readonly evaluateName?: string;
  readonly presentationHint?: { readonly kind?: string; readonly attributes?: readonly string[] };
}

/** A DAP Scope. */
export interface DebugScope {
  readonly name: string;
  readonly presentationHint?: string;
  readonly variablesReference: number;
  readonly expensive: boolean;
}

export type InspectResult<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly error: string };

/** Where a variable's bytes are, for data breakpoints. */
export interface DataLocation {
  readonly space: AddressSpace;
  readonly address: number;
  readonly size: number;
  /** e.g. "pageinfo[256].owner" or "L4 entry 255 of the table at 0x5b000". */
  readonly description: string;
}

interface Node {
  list(filter?: 'indexed' | 'named', start?: number, count?: number): DebugVariable[];
  /** The lvalue behind child `name` (setVariable, data breakpoints). */
  target?(name: string): { value: CValue; scope: FrameScope; evaluateName?: string } | undefined;
  /** A setter for children that are not C lvalues (registers, page entries). */
  set?(name: string, text: string): DebugVariable | string | undefined;
  location?(name: string): DataLocation | undefined;
}

const MAX_CHILDREN = 1000;

function errorMessage(e: unknown): string {
  if (e instanceof EvalError) return e.message;
  return `internal error: ${e instanceof Error ? e.message : String(e)}`;
}

/** Wraps an evaluateName in parentheses unless it is a plain postfix expression. */
function paren(name: string): string {
  return /^[A-Za-z_$][\w$]*(\[[^\]]*\]|\.[A-Za-z_]\w*|->[A-Za-z_]\w*)*$/.test(name) ? name : `(${name})`;
}

/** Scope references per frame (scopeReference): room for the six scopes. */
const SCOPES_PER_FRAME = 8;
/**
 * The first reference of everything but scopes. Below it, a reference names
 * a scope of a frame id, the same at every stop (DebugSession's frame ids
 * are too), so that a client asking for the previous stop's Locals after a
 * step gets this stop's: VS Code's Variables view does, racing the new stack.
 */
export const FIRST_DYNAMIC_REFERENCE = 1 << 24;

/** The reference of scope `index` of frame `frameId`, or undefined if the frame id is too large to have one. */
export function scopeReference(frameId: number, index: number): number | undefined {
  const ref = frameId * SCOPES_PER_FRAME + index;
  return frameId > 0 && ref < FIRST_DYNAMIC_REFERENCE ? ref : undefined;
}

/** The frame id a scope reference belongs to, or undefined for any other reference. */
export function frameOfScopeReference(ref: number): number | undefined {
  return ref > 0 && ref < FIRST_DYNAMIC_REFERENCE ? Math.floor(ref / SCOPES_PER_FRAME) : undefined;
}

export class VariablesTable {
  private nodes = new Map<number, Node>();
  private next = FIRST_DYNAMIC_REFERENCE;

  /** Forgets every reference (call on each stop). */
  reset(): void {
    this.nodes.clear();
    this.next = FIRST_DYNAMIC_REFERENCE;
  }

  private add(node: Node, ref = this.next++): number {
    this.nodes.set(ref, node);
    return ref;
  }

  /** True if `ref` names something at this stop. */
  has(ref: number): boolean {
    return this.nodes.has(ref);
  }

  /** The scopes of a frame; with its (stable) frame id, at references derived from it (scopeReference). */
  scopes(ctx: FrameContext, frameId?: number): DebugScope[] {
    const scope = frameScope(ctx);
    const at = (i: number, node: Node): number => {
      const ref = frameId !== undefined ? scopeReference(frameId, i) : undefined;
      return this.add(node, ref ?? this.next++);
    };
    return [
      { name: 'Locals', presentationHint: 'locals', variablesReference: at(0, this.localsNode(scope)), expensive: false },
      { name: 'Globals', variablesReference: at(1, this.globalsNode(scope)), expensive: false },
      { name: 'Registers', presentationHint: 'registers', variablesReference: at(2, this.registersNode(scope)), expensive: false },
      { name: 'Control registers', presentationHint: 'registers', variablesReference: at(3, this.controlNode(scope)), expensive: false },
      { name: 'Current process', variablesReference: at(4, this.currentNode(scope)), expensive: false },
      { name: 'Page table', variablesReference: at(5, this.pageTableRoot(scope)), expensive: false },
    ];
  }

  /** The children of a reference (DAP variables; `start`/`count` page through big arrays). */
  variables(ref: number, options: { filter?: 'indexed' | 'named'; start?: number; count?: number } = {}): InspectResult<{ variables: DebugVariable[] }> {
    const node = this.nodes.get(ref);
    if (!node) return { ok: false, error: `no variables reference ${ref} (references are valid only until the machine runs again)` };
    try {
      return { ok: true, variables: node.list(options.filter, options.start, options.count) };
    } catch (e) {
      return { ok: false, error: errorMessage(e) };
    }
  }

  /** DAP setVariable: child `name` of `ref` gets the value of expression `text`. */
  setVariable(ref: number, name: string, text: string): InspectResult<{ variable: DebugVariable }> {
    const node = this.nodes.get(ref);
    if (!node) return { ok: false, error: `no variables reference ${ref}` };
    try {
      const custom = node.set?.(name, text);
      if (typeof custom === 'string') return { ok: false, error: custom };
      if (custom) return { ok: true, variable: custom };
      const t = node.target?.(name);
      if (!t) return { ok: false, error: `'${name}' cannot be set` };
      if (!isScalar(t.value.type)) return { ok: false, error: `only scalars can be set; '${name}' has type '${typeName(t.value.type)}'` };
      const { value, evaluator } = evaluateIn(t.scope, text);
      const converted = evaluator.cast(t.value.type, evaluator.decay(value));
      storeScalar(t.value, scalarOf(converted));
      return { ok: true, variable: this.valueVariable(name, t.value, t.scope, t.evaluateName) };
    } catch (e) {
      return { ok: false, error: errorMessage(e) };
    }
  }

  /** Where child `name` of `ref` lives (for data breakpoints). */
  dataLocation(ref: number, name: string): InspectResult<{ location: DataLocation }> {
    const node = this.nodes.get(ref);
    if (!node) return { ok: false, error: `no variables reference ${ref}` };
    const custom = node.location?.(name);
    if (custom) return { ok: true, location: custom };
    const t = node.target?.(name);
    if (!t) return { ok: false, error: `'${name}' has no address` };
    const loc = t.value.loc;
    if (!loc || loc.kind !== 'memory') return { ok: false, error: `'${name}' lives in a register, not in memory` };
    return { ok: true, location: { space: loc.space, address: loc.address, size: sizeOf(t.value.type), description: t.evaluateName ?? name } };
  }

  /** A variable for a C value, with lazily expanded children. */
  valueVariable(name: string, v: CValue, scope: FrameScope, evaluateName?: string): DebugVariable {
    const build = scope.ctx.build;
    const s = strip(v.type);
    const base = {
      name, value: formatValue(v, build, scope.image), type: typeName(v.type),
      ...(evaluateName !== undefined ? { evaluateName } : {}),
    };
    const loc = v.loc;
    const memRef = loc?.kind === 'memory' && loc.bitWidth === undefined ? memoryReference(loc.space, loc.address) : undefined;
    if ((s.kind === 'struct' || s.kind === 'union') && s.complete) {
      const fields = namedFields(s);
      return { ...base, variablesReference: this.add(this.structNode(v, scope, evaluateName)), namedVariables: fields.length, ...(memRef ? { memoryReference: memRef } : {}) };
    }
    if (s.kind === 'array' && (s.length ?? 0) > 0) {
      return { ...base, variablesReference: this.add(this.arrayNode(v, scope, evaluateName)), indexedVariables: s.length!, ...(memRef ? { memoryReference: memRef } : {}) };
    }
    if (s.kind === 'pointer' || s.kind === 'function') {
      let bits: bigint | undefined;
      try {
        bits = s.kind === 'function' ? v.bits : scalarOf(v);
      } catch {
        bits = undefined;
      }
      const space = loc?.kind === 'memory' ? loc.space : scope.space;
      const ref = bits !== undefined && bits !== 0n ? memoryReference(space, toAddress(bits)) : undefined;
      const target = s.kind === 'pointer' ? strip(s.to) : undefined;
      if (bits !== undefined && bits !== 0n && target && target.kind !== 'void' && target.kind !== 'function' && !(target.kind === 'int' && target.size === 1)) {
        return { ...base, variablesReference: this.add(this.pointerNode(v, scope, space, evaluateName)), ...(ref ? { memoryReference: ref } : {}) };
      }
      return { ...base, variablesReference: 0, ...(ref ? { memoryReference: ref } : {}) };
    }
    return { ...base, variablesReference: 0, ...(memRef ? { memoryReference: memRef } : {}) };
  }

  // ---- C values ----

  private structNode(v: CValue, scope: FrameScope, evaluateName?: string): Node {
    const child = (f: { name: string | null; offset: number; type: CValue['type']; bitOffset?: number; bitWidth?: number }): { value: CValue; evaluateName?: string } => ({
      value: memberOf(v, f.offset, f.type, f.bitOffset, f.bitWidth),
      ...(evaluateName !== undefined ? { evaluateName: `${paren(evaluateName)}.${f.name}` } : {}),
    });
    return {
      list: () => namedFields(v.type).map((f) => {
        const c = child(f);
        return this.valueVariable(f.name!, c.value, scope, c.evaluateName);
      }),
      target: (name) => {
        const f = namedFields(v.type).find((x) => x.name === name);
        return f ? { ...child(f), scope } : undefined;
      },
    };
  }

  private arrayNode(v: CValue, scope: FrameScope, evaluateName?: string): Node {
    const s = strip(v.type) as Extract<CValue['type'], { kind: 'array' }>;
    const n = s.length ?? 0;
    const size = sizeOf(s.of);
    const element = (i: number): { value: CValue; evaluateName?: string } => ({
      value: memberOf(v, i * size, s.of),
      ...(evaluateName !== undefined ? { evaluateName: `${paren(evaluateName)}[${i}]` } : {}),
    });
    return {
      list: (filter, start = 0, count) => {
        if (filter === 'named') return [];
        const from = Math.max(0, start);
        const to = Math.min(n, from + (count ?? Math.min(n, MAX_CHILDREN)));
        const out: DebugVariable[] = [];
        for (let i = from; i < to; i++) {
          const e = element(i);
          out.push(this.valueVariable(`[${i}]`, e.value, scope, e.evaluateName));
        }
        return out;
      },
      target: (name) => {
        const m = /^\[(\d+)\]$/.exec(name);
        return m && Number(m[1]) < n ? { ...element(Number(m[1])), scope } : undefined;
      },
    };
  }

  private pointerNode(p: CValue, scope: FrameScope, space: AddressSpace, evaluateName?: string): Node {
    const target = (): CValue => new Evaluator({ scope, space, bindings: {} }).deref({ type: p.type, bits: scalarOf(p) });
    const deref = evaluateName !== undefined ? `*${paren(evaluateName)}` : undefined;
    return {
      list: () => {
        const t = target();
        const s = strip(t.type);
        if ((s.kind === 'struct' || s.kind === 'union') && s.complete) {
          return namedFields(s).map((f) =>
            this.valueVariable(f.name!, memberOf(t, f.offset, f.type, f.bitOffset, f.bitWidth), scope, evaluateName !== undefined ? `${paren(evaluateName)}->${f.name}` : undefined));
        }
        return [this.valueVariable(deref ?? '*', t, scope, deref)];
      },
      target: (name) => {
        const t = target();
        const f = namedFields(t.type).find((x) => x.name === name);
        if (f) return { value: memberOf(t, f.offset, f.type, f.bitOffset, f.bitWidth), scope, ...(evaluateName !== undefined ? { evaluateName: `${paren(evaluateName)}->${f.name}` } : {}) };
        return name === (deref ?? '*') ? { value: t, scope, ...(deref ? { evaluateName: deref } : {}) } : undefined;
      },
    };
  }

  // ---- scopes ----

  private localsNode(scope: FrameScope): Node {
    return {
      list: () => visibleLocals(scope).map((l) => ({ ...this.valueVariable(l.name, l.value, scope, l.name), ...(l.kind === 'param' ? { presentationHint: { kind: 'property', attributes: ['parameter'] } } : {}) })),
      target: (name) => {
        const l = visibleLocals(scope).find((x) => x.name === name);
        return l ? { value: l.value, scope, evaluateName: name } : undefined;
      },
    };
  }

  private globalsNode(scope: FrameScope): Node {
    const image = scope.image ?? scope.ctx.build.kernel;
    const entries = (): { name: string; value: CValue; evaluateName?: string }[] => {
      const all = imageGlobals(scope, image).filter((g) => g.value.loc?.kind !== 'memory' || !Number.isNaN(g.value.loc.address));
      const counts = new Map<string, number>();
      for (const g of all) counts.set(g.name, (counts.get(g.name) ?? 0) + 1);
      const out = all.map((g) => {
        const file = g.unit?.path.split('/').pop() ?? '';
        const unique = counts.get(g.name) === 1;
        return { name: unique ? g.name : `${g.name} (${file})`, value: g.value, ...(unique ? { evaluateName: g.name } : {}) };
      });
      return out.sort((a, b) => a.name.localeCompare(b.name));
    };
    return {
      list: () => entries().map((g) => this.valueVariable(g.name, g.value, scope, g.evaluateName)),
      target: (name) => {
        const g = entries().find((x) => x.name === name);
        return g ? { value: g.value, scope, ...(g.evaluateName ? { evaluateName: g.evaluateName } : {}) } : undefined;
      },
    };
  }

  private registersNode(scope: FrameScope): Node {
    const ctx = scope.ctx;
    const cpu = ctx.machine.cpu;
    const regText = (r: bigint | undefined): string => (r === undefined ? '<not saved>' : '0x' + r.toString(16));
    const flagsRef = (value: number, bits: readonly FlagBit[]): number => this.add(this.flagsNode(value, bits));
    return {
      list: () => {
        const out: DebugVariable[] = [];
        for (let i = 0; i < 16; i++) {
          const r = ctx.registers[i];
          const name = registerName(i);
          out.push({ name, value: regText(r), type: 'uint64_t', variablesReference: 0, evaluateName: `$${name}`, ...(r !== undefined && r !== 0n ? { memoryReference: memoryReference(scope.space, toAddress(r)) } : {}) });
        }
        const sym = symbolize(ctx.build, ctx.rip, scope.image);
        out.push({ name: 'rip', value: `${hex(ctx.rip)}${sym ? ` <${sym}>` : ''}`, type: 'uint64_t', variablesReference: 0, evaluateName: '$rip', memoryReference: memoryReference(scope.space, ctx.rip) });
        out.push({ name: 'rflags', value: describeRflags(cpu.rflags), type: 'uint64_t', variablesReference: flagsRef(cpu.rflags, RFLAGS_BITS), evaluateName: '$rflags' });
        out.push({ name: 'cs', value: `${hex(cpu.cs)} (${(cpu.cs & 3) === 3 ? 'user' : 'kernel'} code)`, type: 'uint16_t', variablesReference: 0, evaluateName: '$cs' });
        out.push({ name: 'ss', value: hex(cpu.ss), type: 'uint16_t', variablesReference: 0, evaluateName: '$ss' });
        out.push({ name: 'fs', value: hex(cpu.fs), type: 'uint16_t', variablesReference: 0 });
        out.push({ name: 'gs', value: hex(cpu.gs), type: 'uint16_t', variablesReference: 0 });
        out.push({ name: 'CPL', value: `${cpu.cs & 3} (${(cpu.cs & 3) === 3 ? 'user mode' : 'kernel mode'})`, type: 'int', variablesReference: 0, evaluateName: '$cpl' });
        return out;
      },
      set: (name, text) => {
        const i = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'].indexOf(name);
        if (i < 0) return `register ${name} cannot be set from the debugger`;
        if (ctx.frameIndex !== 0) return `only the innermost frame's registers can be set`;
        const { value, evaluator } = evaluateIn(scope, text);
        const bits = BigInt.asUintN(64, scalarOf(evaluator.decay(value)));
        storeScalar({ type: { kind: 'int', name: 'unsigned long', size: 8, signed: false }, loc: { kind: 'register', reg: i, ctx, name } }, bits);
        return { name, value: regText(bits), type: 'uint64_t', variablesReference: 0, evaluateName: `$${name}` };
      },
    };
  }

  private flagsNode(value: number, bits: readonly FlagBit[]): Node {
    return {
      list: () => bits.map((b) => ({ name: b.name, value: Math.floor(value / 2 ** b.bit) % 2 === 1 ? 'true' : 'false', type: `bit ${b.bit}: ${b.meaning}`, variablesReference: 0 })),
    };
  }

  private controlNode(scope: FrameScope): Node {
    const cpu = scope.ctx.machine.cpu;
    return {
      list: () => [
        { name: 'CR0', value: describeBits(cpu.cr0 >>> 0, CR0_BITS), type: 'uint64_t', variablesReference: this.add(this.flagsNode(cpu.cr0 >>> 0, CR0_BITS)), evaluateName: '$cr0' },
        { name: 'CR2', value: `${hex(cpu.cr2)} (the last page-fault address)`, type: 'uint64_t', variablesReference: 0, evaluateName: '$cr2' },
        { name: 'CR3', value: `${hex(cpu.cr3)} (${spaceName(scope, cpu.cr3)})`, type: 'uint64_t', variablesReference: 0, evaluateName: '$cr3', memoryReference: memoryReference(PHYSICAL, cpu.cr3 - (cpu.cr3 % 4096)) },
        { name: 'CR4', value: describeBits(cpu.cr4 >>> 0, CR4_BITS), type: 'uint64_t', variablesReference: this.add(this.flagsNode(cpu.cr4 >>> 0, CR4_BITS)), evaluateName: '$cr4' },
        { name: 'EFER', value: describeBits(cpu.efer >>> 0, EFER_BITS), type: 'uint64_t', variablesReference: this.add(this.flagsNode(cpu.efer >>> 0, EFER_BITS)), evaluateName: '$efer' },
        { name: 'IDTR', value: hex(cpu.idtr), type: 'uint64_t', variablesReference: 0 },
        { name: 'TR', value: hex(cpu.tr), type: 'uint64_t', variablesReference: 0 },
      ],
    };
  }

  private currentNode(scope: FrameScope): Node {
    const cur = (): { value: CValue } | string => {
      const c = lookupName({ ...scope, image: scope.ctx.build.kernel }, 'current');
      if (!c) return 'the kernel has no `current` variable';
      if (scalarOf(c.value) === 0n) return 'current is NULL: no process has run yet';
      const space = c.value.loc?.kind === 'memory' ? c.value.loc.space : scope.space;
      return { value: new Evaluator({ scope, space, bindings: {} }).deref({ type: c.value.type, bits: scalarOf(c.value) }) };
    };
    return {
      list: () => {
        const c = cur();
        if (typeof c === 'string') return [{ name: 'current', value: c, variablesReference: 0 }];
        const s = strip(c.value.type);
        if (s.kind !== 'struct') return [this.valueVariable('*current', c.value, scope, '*current')];
        return namedFields(s).map((f) => this.valueVariable(f.name!, memberOf(c.value, f.offset, f.type, f.bitOffset, f.bitWidth), scope, `current->${f.name}`));
      },
      target: (name) => {
        const c = cur();
        if (typeof c === 'string') return undefined;
        const f = namedFields(c.value.type).find((x) => x.name === name);
        return f ? { value: memberOf(c.value, f.offset, f.type, f.bitOffset, f.bitWidth), scope, evaluateName: `current->${f.name}` } : undefined;
      },
    };
  }

  // ---- page tables ----

  private pageTableRoot(scope: FrameScope): Node {
    const ctx = scope.ctx;
    if (!ctx.paging) return { list: () => [{ name: 'paging', value: 'paging is off (CR0.PG clear): addresses are physical', variablesReference: 0 }] };
    return this.tableNode(scope, ctx.cr3, 0, 0);
  }

  private tableNode(scope: FrameScope, tablePa: number, level: number, base: number): Node {
    const memory = scope.ctx.machine.memory;
    const pageinfo = scope.view.state.pageinfo;
    const entries = (): DecodedEntry[] => readTableEntries(memory, tablePa, level, base, pageinfo);
    const find = (name: string): DecodedEntry | undefined => {
      const m = /^\[(\d+)\]$/.exec(name);
      return m ? entries().find((e) => e.index === Number(m[1])) : undefined;
    };
    return {
      list: () => {
        const list = entries();
        if (list.length === 0) return [{ name: '(empty)', value: `every entry of the ${LEVEL_NAMES[level]} table at ${hex(tablePa)} is 0`, variablesReference: 0 }];
        return list.map((e) => this.entryVariable(scope, e));
      },
      set: (name, text) => {
        const e = find(name);
        if (!e) return undefined;
        return this.setEntry(scope, e, text);
      },
      location: (name) => {
        const e = find(name);
        return e ? { space: PHYSICAL, address: e.entryAddress, size: 8, description: `${LEVEL_NAMES[level]} entry ${e.index} of the table at ${hex(tablePa)}` } : undefined;
      },
    };
  }

  private setEntry(scope: FrameScope, e: DecodedEntry, text: string): DebugVariable {
    const { value, evaluator } = evaluateIn(scope, text);
    const bits = BigInt.asUintN(64, scalarOf(evaluator.decay(value)));
    storeScalar({ type: { kind: 'int', name: 'unsigned long', size: 8, signed: false }, loc: { kind: 'memory', machine: scope.ctx.machine, space: PHYSICAL, address: e.entryAddress } }, bits);
    const lo = scope.ctx.machine.memory.peek64(e.entryAddress);
    const next = decodeEntry(e.level, e.index, e.entryAddress - 8 * e.index, lo, R.hi, e.level === 0 ? 0 : e.va - e.index * LEVEL_SPAN[e.level]!, scope.view.state.pageinfo);
    return this.entryVariable(scope, next);
  }

  private entryVariable(scope: FrameScope, e: DecodedEntry): DebugVariable {
    const range = `${hex(e.va)}-${hex(e.vaLast)}`;
    const what = e.kind === 'not-present' ? 'not present' : e.kind === 'table' ? `${LEVEL_NAMES[e.level + 1]} table ${hex(e.pa)}` : e.kind === 'large-page' ? `2 MiB page ${hex(e.pa)}` : `page ${hex(e.pa)}`;
    const owner = e.owner !== undefined ? `, ${ownerText(e.owner)}` : '';
    const value = e.kind === 'not-present' ? `${e.raw} not present (covers ${range})` : `${range} → ${what} [${e.flagsText}]${owner}`;
    return {
      name: `[${e.index}]`, value, type: `${LEVEL_NAMES[e.level]} entry`,
      variablesReference: this.add(this.entryNode(scope, e)),
      ...(e.kind !== 'not-present' ? { memoryReference: memoryReference(PHYSICAL, e.pa) } : {}),
    };
  }

  private entryNode(scope: FrameScope, e: DecodedEntry): Node {
    const details = (): DebugVariable[] => [
      { name: 'index', value: String(e.index), type: 'int', variablesReference: 0 },
      { name: 'covers', value: `${hex(e.va)}-${hex(e.vaLast)}`, variablesReference: 0 },
      { name: 'raw', value: e.raw, type: 'x86_64_pageentry_t', variablesReference: 0, memoryReference: memoryReference(PHYSICAL, e.entryAddress) },
      { name: 'entry address', value: hex(e.entryAddress), variablesReference: 0, memoryReference: memoryReference(PHYSICAL, e.entryAddress) },
      { name: 'physical address', value: hex(e.pa), variablesReference: 0, ...(e.kind !== 'not-present' ? { memoryReference: memoryReference(PHYSICAL, e.pa) } : {}) },
      { name: 'flags', value: e.flagsText, variablesReference: this.add({ list: () => Object.entries(e.flags).map(([k, v]) => ({ name: k, value: v ? 'true' : 'false', type: 'bool', variablesReference: 0 })) }) },
      { name: 'owner', value: e.owner !== undefined ? `${e.owner} (${ownerText(e.owner)}), refcount ${e.refcount}` : 'unknown', variablesReference: 0 },
    ];
    const sub = e.kind === 'table' ? this.tableNode(scope, e.pa, e.level + 1, e.va) : undefined;
    return {
      list: () => [...details(), ...(sub ? sub.list() : [])],
      set: (name, text) => (name === 'raw' ? this.setEntry(scope, e, text) : sub?.set?.(name, text)),
      location: (name) => (name === 'raw' ? { space: PHYSICAL, address: e.entryAddress, size: 8, description: `${LEVEL_NAMES[e.level]} entry ${e.index}` } : sub?.location?.(name)),
    };
  }
}

function spaceName(scope: FrameScope, cr3: number): string {
  return scope.ctx.paging ? (scope.space.kind === 'virtual' && scope.space.cr3 === cr3 - (cr3 % 4096) ? scope.space.label : 'page table') : 'paging off';
}

