// Name resolution in a frame, as C scoping has it: the locals in scope at
// rip (innermost first), the parameters, the file's statics, the image's
// globals and functions, enumerators; then the kernel's globals from a user
// frame (so a condition in p-allocator.c can still name `ticks`).

import type { LinkedImage } from '../../cc/link/link';
import type { ImageDebugUnit, ImageDebugVariable } from '../../machine/image/image-debug-info';
import { PHYSICAL, type AddressSpace } from './address-space';
import { BASIC_TYPES, INT, strip, unitType, type CType } from './c-types';
import type { CValue } from './c-value';
import type { FrameContext } from './frame-context';
import { bodyStart, functionAt, imageAt, type FunctionAt } from './images';
import { kernelSpace, kernelView, spaceOfCr3, type KernelView } from './kernel-view';

export interface FrameScope {
  readonly ctx: FrameContext;
  readonly view: KernelView;
  /** The frame's address space (physical while paging is off). */
  readonly space: AddressSpace;
  readonly image: LinkedImage | undefined;
  readonly at: FunctionAt | undefined;
  /** True while rip is in the function's prologue: parameters are still in argument registers. */
  readonly beforeBody: boolean;
  /** The pid `pid` means: the frame's process, else current->p_pid. */
  readonly pid: number | null;
}

/** System V argument registers (WS64 numbers): rdi, rsi, rdx, rcx, r8, r9. */
const ARG_REGS = [7, 6, 2, 1, 8, 9];

export function frameScope(ctx: FrameContext, view: KernelView = kernelView(ctx.machine, ctx.build)): FrameScope {
  const space = spaceOfCr3(ctx.machine, view, ctx.cr3, ctx.paging);
  const image = imageAt(ctx, space);
  const at = functionAt(image, ctx.rip);
  const beforeBody = ctx.frameIndex === 0 && at !== undefined && image !== undefined && ctx.rip < bodyStart(image, at.fn);
  return { ctx, view, space, image, at, beforeBody, pid: ctx.pid ?? view.currentPid };
}

/** A named variable with its value's location. */
export interface NamedValue {
  readonly name: string;
  readonly value: CValue;
  /** 'param', 'local', 'global', 'static' (a file- or function-static), 'function'. */
  readonly kind: 'param' | 'local' | 'global' | 'static' | 'function';
  readonly unit?: ImageDebugUnit;
}

function spaceFor(scope: FrameScope, image: LinkedImage): AddressSpace {
  if (image === scope.image) return scope.space;
  if (image === scope.ctx.build.kernel) return scope.ctx.paging ? kernelSpace(scope.ctx.machine, scope.view) : PHYSICAL;
  return scope.space;
}

/** The value of a debug variable of `unit` in `image`. */
export function variableValue(scope: FrameScope, unit: ImageDebugUnit, image: LinkedImage, v: ImageDebugVariable, argIndex = -1): CValue {
  const type = unitType(unit, v.type);
  const ctx = scope.ctx;
  if (argIndex >= 0 && argIndex < ARG_REGS.length && scope.beforeBody && strip(type).kind !== 'struct' && strip(type).kind !== 'union') {
    return { type, loc: { kind: 'register', reg: ARG_REGS[argIndex]!, ctx, name: v.name } };
  }
  const loc = v.location;
  switch (loc.kind) {
    case 'register':
      return { type, loc: { kind: 'register', reg: loc.reg, ctx, name: v.name } };
    case 'frame': {
      const rbp = ctx.registers[5];
      if (rbp === undefined) return { type, loc: { kind: 'register', reg: 5, ctx, name: v.name } };
      return { type, loc: { kind: 'memory', machine: ctx.machine, space: scope.space, address: Number(BigInt.asIntN(64, rbp)) + loc.rbpOffset } };
    }
    case 'static':
      return { type, loc: { kind: 'memory', machine: ctx.machine, space: spaceFor(scope, image), address: loc.address ?? NaN } };
  }
}

/** Parameters and the locals in scope at rip, innermost scope first for shadowed names. */
export function visibleLocals(scope: FrameScope): NamedValue[] {
  const at = scope.at;
  const image = scope.image;
  if (!at || !image) return [];
  const rip = scope.ctx.rip;
  const out: NamedValue[] = [];
  const seen = new Set<string>();
  if (!scope.beforeBody) {
    const locals = at.fn.locals
      .filter((v) => v.scopeStart === undefined || v.scopeEnd === undefined || (rip >= v.scopeStart && rip < v.scopeEnd))
      .sort((a, b) => span(a) - span(b));
    for (const v of locals) {
      if (seen.has(v.name)) continue;
      seen.add(v.name);
      const kind = v.location.kind === 'static' ? 'static' : 'local';
      out.push({ name: v.name, value: variableValue(scope, at.unit, image, v), kind, unit: at.unit });
    }
  }
  at.fn.params.forEach((v, i) => {
    if (seen.has(v.name) || v.name === '') return;
    seen.add(v.name);
    out.push({ name: v.name, value: variableValue(scope, at.unit, image, v, i), kind: 'param', unit: at.unit });
  });
  return out;
}

function span(v: ImageDebugVariable): number {
  return v.scopeStart !== undefined && v.scopeEnd !== undefined ? v.scopeEnd - v.scopeStart : Number.MAX_SAFE_INTEGER;
}

/** Every global and file static of an image's units (the frame's unit first). */
export function imageGlobals(scope: FrameScope, image: LinkedImage): NamedValue[] {
  const units = [...(image.debug?.units ?? [])];
  const first = scope.image === image ? scope.at?.unit : undefined;
  if (first) units.sort((a, b) => (a === first ? -1 : b === first ? 1 : 0));
  const out: NamedValue[] = [];
  for (const unit of units) {
    for (const g of unit.globals) {
      if (g.location.kind !== 'static') continue;
      const sym = image.symbols.get(g.name);
      const isGlobal = sym !== undefined && sym.binding === 'global' && sym.address === g.location.address;
      out.push({ name: g.name, value: variableValue(scope, unit, image, g), kind: isGlobal ? 'global' : 'static', unit });
    }
  }
  return out;
}

function imageFunction(image: LinkedImage, name: string): NamedValue | undefined {
  for (const unit of image.debug?.units ?? []) {
    const fn = unit.functions.find((f) => f.name === name);
    if (fn) return { name, value: { type: unitType(unit, fn.type), bits: BigInt(fn.start) }, kind: 'function', unit };
  }
  return undefined;
}

/** Resolves an identifier to a variable or function, as C would in this frame; undefined if unknown. */
export function lookupName(scope: FrameScope, name: string): NamedValue | undefined {
  const local = visibleLocals(scope).find((v) => v.name === name);
  if (local) return local;
  const images = scope.image && scope.image !== scope.ctx.build.kernel ? [scope.image, scope.ctx.build.kernel] : [scope.ctx.build.kernel];
  for (const image of images) {
    const g = imageGlobals(scope, image).find((v) => v.name === name);
    if (g) return g;
    const f = imageFunction(image, name);
    if (f) return f;
  }
  return undefined;
}

function* scopeUnits(scope: FrameScope): Generator<ImageDebugUnit> {
  if (scope.at) yield scope.at.unit;
  for (const image of [scope.image, scope.ctx.build.kernel]) for (const u of image?.debug?.units ?? []) yield u;
}

/** An enumeration constant (P_RUNNABLE, PO_KERNEL...), typed int. */
export function lookupEnumerator(scope: FrameScope, name: string): CValue | undefined {
  for (const unit of scopeUnits(scope)) {
    for (let ref = 0; ref < unit.types.length; ref++) {
      const t = unit.types[ref]!;
      if (t.kind !== 'enum') continue;
      const e = t.enumerators.find((x) => x.name === name);
      if (e) return { type: INT, bits: BigInt(e.value) };
    }
  }
  return undefined;
}

/** A typedef name, or a basic type name. */
export function lookupTypedef(scope: FrameScope, name: string): CType | undefined {
  for (const unit of scopeUnits(scope)) {
    const td = unit.typedefs.find((t) => t.name === name);
    if (td) {
      // The typedef itself, so that the type prints under its name.
      for (let ref = 0; ref < unit.types.length; ref++) {
        const t = unit.types[ref]!;
        if (t.kind === 'typedef' && t.name === name) return unitType(unit, ref);
      }
      return unitType(unit, td.type);
    }
  }
  return BASIC_TYPES.get(name);
}

/** A struct, union or enum by tag; complete definitions preferred. */
export function lookupTag(scope: FrameScope, kind: 'struct' | 'union' | 'enum', name: string): CType | undefined {
  let incomplete: CType | undefined;
  for (const unit of scopeUnits(scope)) {
    for (let ref = 0; ref < unit.types.length; ref++) {
      const t = unit.types[ref]!;
      if (t.kind !== kind || t.name !== name) continue;
      if (t.kind === 'enum' || t.complete) return unitType(unit, ref);
      incomplete ??= unitType(unit, ref);
    }
  }
  return incomplete;
}
