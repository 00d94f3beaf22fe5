// Shared set-up for the inspection tests: the reference kernel built once,
// booted, and stopped at breakpoints with the inspection API's own condition
// evaluator (no execution-control session needed).

import { expect } from 'vitest';
import {
  bodyStart, bootWeensyOS, buildWeensyOS, evaluateCondition, formatDiagnostic, topFrame,
  type FrameContext, type InspectBuild, type Machine,
} from '../../emulator/index';

let cached: InspectBuild | undefined;

/** The bundled reference kernel and its programs. */
export function referenceBuild(): InspectBuild {
  if (cached) return cached;
  const b = buildWeensyOS({ host: { readFile: () => undefined } });
  expect(b.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
  cached = { kernel: b.kernel!, programs: b.programs, macros: b.macros };
  return cached;
}

/** The address of a kernel function's first body line (after its prologue). */
export function functionBody(build: InspectBuild, name: string): number {
  const fn = build.kernel.debug.units.flatMap((u) => u.functions).find((f) => f.name === name);
  expect(fn, name).toBeDefined();
  return bodyStart(build.kernel, fn!);
}

/** Runs until the breakpoint at `address` is hit with `condition` true (in at most `maxHits` hits). */
export function runUntil(m: Machine, build: InspectBuild, address: number, condition: string, maxHits = 5000): FrameContext {
  m.breakpoints.add(address);
  try {
    for (let i = 0; i < maxHits; i++) {
      const stop = m.run(200_000_000);
      expect(stop.kind, `stopped at the breakpoint for ${condition}`).toBe('breakpoint');
      const ctx = topFrame(m, build);
      const c = evaluateCondition(ctx, condition);
      if (typeof c !== 'boolean') throw new Error(`condition ${condition}: ${c.error}`);
      if (c) return ctx;
    }
    throw new Error(`${condition} never held`);
  } finally {
    m.breakpoints.delete(address);
  }
}

/** A booted reference kernel. */
export function bootReference(): Machine {
  return bootWeensyOS(referenceBuild().kernel);
}
