// The full C evaluator in the shape the execution side plugs in for
// breakpoint conditions, logpoints and exception-filter conditions
// (debug-types.ts ConditionEvaluator). `names` (pid; cr2, err, write, user,
// present, rip for exception filters) are bound before anything else.
// A struct or array value counts as true (it exists) and prints as {...}.

import { isScalar } from './c-types';
import { EvalError, scalarOf } from './c-value';
import { evaluateIn } from './evaluate-core';
import { formatValue } from './format-value';
import type { FrameContext } from './frame-context';
import { frameScope } from './frame-scope';

/** The shape of debug-types.ts's EvaluationResult (declared here too, so this file stands alone). */
export type SessionEvaluationResult =
  | { readonly ok: true; readonly value: bigint; readonly display: string }
  | { readonly ok: false; readonly message: string };

/** The shape of debug-types.ts's ConditionEvaluator. */
export interface SessionConditionEvaluator {
  evaluate(expression: string, frame: FrameContext, names: ReadonlyMap<string, bigint>): SessionEvaluationResult;
}

function evaluateForSession(expression: string, frame: FrameContext, names: ReadonlyMap<string, bigint>): SessionEvaluationResult {
  try {
    const scope = frameScope(frame);
    const { value, evaluator } = evaluateIn(scope, expression, { bindings: Object.fromEntries(names) });
    const display = formatValue(value, frame.build, scope.image);
    if (!isScalar(value.type)) {
      if (display.startsWith('<cannot read memory')) return { ok: false, message: display.slice(1, -1) };
      return { ok: true, value: 1n, display };
    }
    return { ok: true, value: scalarOf(evaluator.decay(value)), display };
  } catch (e) {
    return { ok: false, message: e instanceof EvalError ? e.message : `internal error while evaluating: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export const inspectConditionEvaluator: SessionConditionEvaluator = { evaluate: evaluateForSession };
