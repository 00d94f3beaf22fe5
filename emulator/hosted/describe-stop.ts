// What a hosted run's end means to a person and to a shell: the exit status
// the command should return and, unless the program simply exited, a
// message saying what stopped it and where (function, file and line from
// the image's debug information, with the calls that led there).

import { vectorName } from '../machine/fault';
import { hex } from '../machine/hex';
import { R } from '../machine/int64';
import type { ProgramImage } from '../machine/image/program-image';
import { Reg } from '../machine/isa/opcodes';
import type { Machine } from '../machine/machine';
import type { HostedRunResult } from './run-hosted';

/** Exit statuses for runs that did not end with exit(), as a shell reports the matching signal or `timeout`. */
export const HOSTED_STATUS = {
  /** The instruction budget ran out, as `timeout` exits. */
  budget: 124,
  /** #DE: 128 + SIGFPE, what a native program gets for a division by zero. */
  divideError: 136,
  /** #UD (including __builtin_trap): 128 + SIGILL. */
  invalidOpcode: 132,
  /** Any other fault, and a triple fault: 128 + SIGSEGV. */
  fault: 139,
  /** hlt with interrupts disabled: the program can never continue. */
  halt: 1,
} as const;

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The enclosing function, if the debug information has it. */
  readonly function?: string;
}

/** The source position of the code at `address`, from the image's line table and function ranges. */
export function sourceLocation(image: Pick<ProgramImage, 'lines' | 'debug'>, address: number): SourceLocation | undefined {
  let fn: string | undefined;
  for (const unit of image.debug?.units ?? []) {
    for (const f of unit.functions) if (address >= f.start && address < f.end) fn = f.name;
  }
  if (fn === undefined) return undefined;
  const rows = image.lines;
  let lo = 0;
  let hi = rows.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.address <= address) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return { file: '?', line: 0, column: 0, function: fn };
  const p = rows[found]!.range.start;
  return { file: p.file, line: p.line, column: p.column, function: fn };
}

function formatLocation(address: number, loc: SourceLocation | undefined): string {
  if (!loc) return hex(address);
  return `${loc.function ?? '?'} (${loc.file}:${loc.line}:${loc.column}, ${hex(address)})`;
}

/** Return addresses up the frame-pointer chain (rbp is always kept), innermost caller first. */
function callers(m: Machine, image: Pick<ProgramImage, 'lines' | 'debug'>, limit: number): number[] {
  const out: number[] = [];
  const regs = m.cpu.regs;
  let rbp = (regs[2 * Reg.RBP]! >>> 0) + (regs[2 * Reg.RBP + 1]! >>> 0) * 2 ** 32;
  const mem = m.memory;
  for (let i = 0; i < limit; i++) {
    if (rbp <= 0 || rbp + 16 > mem.size || rbp % 8 !== 0) break;
    const next = (mem.peek64(rbp) >>> 0) + (R.hi >>> 0) * 2 ** 32;
    const ret = (mem.peek64(rbp + 8) >>> 0) + (R.hi >>> 0) * 2 ** 32;
    if (!sourceLocation(image, ret)) break;
    out.push(ret);
    if (next <= rbp) break;
    rbp = next;
  }
  return out;
}

export interface HostedStopReport {
  /** The command's exit status. */
  readonly status: number;
  /** Lines for standard error; empty when the program exited normally. */
  readonly message: string[];
}

/** The exit status and explanation for a finished run of `image`. */
export function describeHostedStop(result: HostedRunResult, image: Pick<ProgramImage, 'lines' | 'debug'>): HostedStopReport {
  const m = result.machine;
  const stop = result.stop;
  const where = (rip: number): string[] => {
    const lines = [`  at ${formatLocation(rip, sourceLocation(image, rip))}`];
    for (const r of callers(m, image, 16)) lines.push(`  called from ${formatLocation(r, sourceLocation(image, r - 1))}`); // r - 1: the call, not what follows it
    return lines;
  };
  const count = result.instructions.toLocaleString('en-US');
  switch (stop.kind) {
    case 'exit':
      return { status: stop.status, message: [] };
    case 'budget':
      return {
        status: HOSTED_STATUS.budget,
        message: [`weensy: the program did not finish within its budget of ${count} instructions (see --max-instructions); it was stopped`, ...where(m.cpu.rip)],
      };
    case 'fault': {
      const f = stop.fault;
      const status = f.vector === 0 ? HOSTED_STATUS.divideError : f.vector === 6 ? HOSTED_STATUS.invalidOpcode : HOSTED_STATUS.fault;
      return { status, message: [`weensy: the program faulted: ${vectorName(f.vector)}: ${f.message}`, ...where(m.cpu.rip)] };
    }
    case 'halt':
      return { status: HOSTED_STATUS.halt, message: [`weensy: the program executed hlt with interrupts disabled, so it can never continue`, ...where(m.cpu.rip)] };
    case 'shutdown':
      return { status: HOSTED_STATUS.fault, message: [`weensy: the machine shut down (triple fault): ${stop.diagnosis.text}`, ...where(stop.diagnosis.rip)] };
    case 'poweroff':
      return { status: 0, message: ['weensy: the program powered the machine off'] };
    case 'breakpoint':
      return { status: HOSTED_STATUS.fault, message: [`weensy: the program stopped at a breakpoint`, ...where(stop.rip)] };
  }
}
