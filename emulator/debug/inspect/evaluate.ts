// C expression evaluation for watches, hovers, the debug console,
// breakpoint conditions and logpoints. Identifiers are the frame's locals
// and parameters, globals and file statics, functions (their addresses),
// enumerators, registers ($rax ... $r15, $rip, $rflags, $cr0-$cr4, $efer,
// $cs, $ss, $cpl) and `pid` (the frame's process, else current->p_pid);
// macros are the frame's file's (PAGENUMBER, PTE_ADDR, PAGEINDEX, HZ...).
// A leading [pid N], [cr3 0x...], [phys] or [kernel] dereferences through
// that address space. Bad input gives an error result, never a throw.

import { scalarOf } from './c-value';
import { evaluateIn, type EvaluateOptions } from './evaluate-core';
import type { Binding } from './evaluator';
import { formatValue } from './format-value';
import type { FrameContext } from './frame-context';
import { frameScope } from './frame-scope';
import { VariablesTable, type DebugVariable } from './variables';
import { isScalar } from './c-types';
import { EvalError } from './c-value';

export type { EvaluateOptions } from './evaluate-core';
export type { Binding } from './evaluator';

export type EvaluateResult =
  | {
      readonly ok: true;
      /** The value as the Variables view shows it. */
      readonly result: string;
      readonly type: string;
      /** Children (struct members, array elements, a pointer's target); 0 if none. Needs a table. */
      readonly variablesReference: number;
      readonly namedVariables?: number;
      readonly indexedVariables?: number;
      readonly memoryReference?: string;
      /** A scalar's value as a bigint (signed types negative), for callers that compute with it. */
      readonly scalar?: bigint;
    }
  | { readonly ok: false; readonly error: string };

function message(e: unknown): string {
  if (e instanceof EvalError) return e.message;
  return `internal error while evaluating: ${e instanceof Error ? e.message : String(e)}`;
}

/** Evaluates `expression` in frame `ctx`; with a table, aggregate results get expandable children. */
export function evaluate(ctx: FrameContext, expression: string, options: EvaluateOptions = {}, table?: VariablesTable): EvaluateResult {
  try {
    const scope = frameScope(ctx);
    const { value, evaluator } = evaluateIn(scope, expression, options);
    const v = value;
    let scalar: bigint | undefined;
    if (isScalar(v.type)) scalar = scalarOf(evaluator.decay(v));
    if (table) {
      const dv: DebugVariable = table.valueVariable(expression, v, scope, expression);
      return {
        ok: true, result: dv.value, type: dv.type ?? '', variablesReference: dv.variablesReference,
        ...(dv.namedVariables !== undefined ? { namedVariables: dv.namedVariables } : {}),
        ...(dv.indexedVariables !== undefined ? { indexedVariables: dv.indexedVariables } : {}),
        ...(dv.memoryReference !== undefined ? { memoryReference: dv.memoryReference } : {}),
        ...(scalar !== undefined ? { scalar } : {}),
      };
    }
    const text = formatValue(v, ctx.build, scope.image);
    if (text.startsWith('<cannot read memory')) return { ok: false, error: text.slice(1, -1) };
    const dv = new VariablesTable().valueVariable(expression, v, scope);
    return { ok: true, result: text, type: dv.type ?? '', variablesReference: 0, ...(dv.memoryReference ? { memoryReference: dv.memoryReference } : {}), ...(scalar !== undefined ? { scalar } : {}) };
  } catch (e) {
    return { ok: false, error: message(e) };
  }
}

/** What the execution side plugs in for breakpoint conditions: true, false, or why it cannot say. */
export type ConditionFunction = (ctx: FrameContext, expression: string, bindings?: Readonly<Record<string, Binding>>) => boolean | { readonly error: string };

/** A breakpoint condition: C truth of the expression (non-zero scalar). */
export const evaluateCondition: ConditionFunction = (ctx, expression, bindings) => {
  try {
    const scope = frameScope(ctx);
    const { value, evaluator } = evaluateIn(scope, expression, bindings ? { bindings } : {});
    return evaluator.truth(evaluator.decay(value));
  } catch (e) {
    return { error: message(e) };
  }
};

/** A logpoint message: each {expression} replaced by its value (or <error: ...>); {{ and }} are braces. */
export function formatLogMessage(ctx: FrameContext, template: string, bindings?: Readonly<Record<string, Binding>>): string {
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (all, expr: string | undefined) => {
    if (all === '{{') return '{';
    if (all === '}}') return '}';
    const r = evaluate(ctx, expr ?? '', bindings ? { bindings } : {});
    return r.ok ? r.result : `<error: ${r.error}>`;
  });
}
