// Evaluation of one expression text in a frame scope: choose the address
// space (a leading [pid N], [cr3 0x...], [phys] or [kernel]), expand the
// macros of the frame's file, parse, evaluate. Throws EvalError; the public
// entry points (evaluate.ts, variables.ts) turn it into a message.

import type { MacroDefinition } from '../../cc/preprocess/macro';
import { PHYSICAL, type AddressSpace } from './address-space';
import { EvalError, type CValue } from './c-value';
import { Evaluator, type Binding } from './evaluator';
import { expandExpression } from './expand-macros';
import { parseExpression } from './expression-parser';
import { lookupTypedef, type FrameScope } from './frame-scope';
import { kernelSpace, spaceOfCr3, spaceOfPid } from './kernel-view';

export interface EvaluateOptions {
  /** Names bound before any other (e.g. cr2, err, write, user, present for exception-filter conditions). */
  readonly bindings?: Readonly<Record<string, Binding>>;
  /** Dereference through this address space instead of the frame's. */
  readonly space?: { readonly pid: number } | { readonly cr3: number } | 'physical' | 'kernel';
  /** The source file whose macros apply (default: the file of the frame's function, else kernel.c). */
  readonly macroFile?: string;
}

const merged = new WeakMap<ReadonlyMap<string, MacroDefinition>, WeakMap<ReadonlyMap<string, MacroDefinition>, ReadonlyMap<string, MacroDefinition>>>();

/** `first`'s macros, and `second`'s where `first` has none of that name (cached). */
function mergeMacros(first: ReadonlyMap<string, MacroDefinition>, second: ReadonlyMap<string, MacroDefinition>): ReadonlyMap<string, MacroDefinition> {
  let inner = merged.get(first);
  if (!inner) merged.set(first, (inner = new WeakMap()));
  let m = inner.get(second);
  if (!m) inner.set(second, (m = new Map([...second, ...first])));
  return m;
}

/**
 * The macros of the frame's file (or of `file`), completed with kernel.c's:
 * in virtual_memory_map (k-hardware.c) `HZ` still means kernel.c's HZ.
 */
export function macrosFor(scope: FrameScope, file?: string): ReadonlyMap<string, MacroDefinition> | undefined {
  const macros = scope.ctx.build.macros;
  const kernelPath = scope.ctx.build.kernel.debug.units[0]?.path;
  const kernelMacros = kernelPath !== undefined ? macros.get(kernelPath) : undefined;
  let own: ReadonlyMap<string, MacroDefinition> | undefined;
  if (file !== undefined) {
    own = macros.get(file);
    if (!own) for (const [path, m] of macros) if (path.endsWith('/' + file)) own = m;
  }
  if (!own) {
    const unitPath = scope.at?.unit.path ?? scope.image?.debug?.units[0]?.path;
    own = unitPath !== undefined ? macros.get(unitPath) : undefined;
  }
  if (!own) return kernelMacros;
  return kernelMacros && kernelMacros !== own ? mergeMacros(own, kernelMacros) : own;
}

const SPACE_PREFIX = /^\s*\[\s*(pid\s+(\d+)|cr3\s+(0x[0-9a-fA-F]+|\d+)|phys(?:ical)?|kernel)\s*\]\s*/;

function chooseSpace(scope: FrameScope, options: EvaluateOptions, text: string): { space: AddressSpace; rest: string } {
  let choice = options.space;
  let rest = text;
  const m = SPACE_PREFIX.exec(text);
  if (m) {
    rest = text.slice(m[0].length);
    if (m[2] !== undefined) choice = { pid: Number(m[2]) };
    else if (m[3] !== undefined) choice = { cr3: Number(m[3]) };
    else if (m[1]!.startsWith('phys')) choice = 'physical';
    else choice = 'kernel';
  }
  if (choice === undefined) return { space: scope.space, rest };
  if (choice === 'physical') return { space: PHYSICAL, rest };
  if (choice === 'kernel') return { space: kernelSpace(scope.ctx.machine, scope.view), rest };
  if ('pid' in choice) {
    const s = spaceOfPid(scope.view, choice.pid);
    if (typeof s === 'string') throw new EvalError(s);
    return { space: s, rest };
  }
  return { space: spaceOfCr3(scope.ctx.machine, scope.view, choice.cr3, true), rest };
}

/** Evaluates `text` to a value (lvalue kept); throws EvalError. */
export function evaluateIn(scope: FrameScope, text: string, options: EvaluateOptions = {}): { value: CValue; evaluator: Evaluator } {
  const { space, rest } = chooseSpace(scope, options, text);
  const tokens = expandExpression(rest, macrosFor(scope, options.macroFile));
  const evaluator = new Evaluator({ scope, space, bindings: options.bindings ?? {} });
  const expr = parseExpression(tokens, (name) => !(options.bindings && Object.prototype.hasOwnProperty.call(options.bindings, name)) && lookupTypedef(scope, name) !== undefined && !isVariable(scope, name));
  return { value: evaluator.lvalue(expr), evaluator };
}

/** A name that is a typedef but also a variable in scope is the variable (C's ordinary-identifier rules). */
function isVariable(scope: FrameScope, name: string): boolean {
  return scope.at?.fn.locals.some((v) => v.name === name) === true || scope.at?.fn.params.some((v) => v.name === name) === true;
}
