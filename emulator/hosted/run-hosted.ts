// Hosted mode, run half: loads a program built by buildHosted into a fresh
// machine (8 MiB of RAM, paging off, CPL 0), places argc/argv on the stack
// at the top of RAM, queues standard input behind the keyboard controller
// and runs until the program exits, faults, or uses up its instruction
// budget. Output arrives through the host ports (0xE9 standard output,
// 0xEA standard error, 0xF4 exit status).

import type { ProgramImage } from '../machine/image/program-image';
import { loadImage } from '../machine/image/load-image';
import { Reg } from '../machine/isa/opcodes';
import { Machine, type StopReason } from '../machine/machine';
import { HOSTED_MEMORY_SIZE } from './build-hosted';

export interface HostedRunOptions {
  /** Bytes (or text, sent as UTF-8) the program reads from standard input; then EOF. */
  readonly stdin?: Uint8Array | string;
  /** Stop after this many instructions if the program has not exited. */
  readonly maxInstructions: number;
  /** argv, argv[0] included (default ['a.out']). */
  readonly argv?: readonly string[];
  /** Called with each output byte as it is written, besides collecting it (to stream output). */
  readonly onStdout?: (byte: number) => void;
  readonly onStderr?: (byte: number) => void;
  /** Called between slices of execution (about every million instructions), e.g. to flush streamed output. */
  readonly onProgress?: (instructions: number) => void;
}

export interface HostedRunResult {
  readonly stdout: Uint8Array;
  readonly stderr: Uint8Array;
  /** The status passed to exit (or returned by main), modulo 256; null if the program did not exit. */
  readonly exitStatus: number | null;
  /** Why the machine stopped: 'exit', or 'budget', 'fault' (stopped at the faulting instruction), 'halt', 'shutdown'. */
  readonly stop: StopReason;
  /** Instructions executed. */
  readonly instructions: number;
  /** The machine as it stopped, for post-mortem inspection (registers, memory). */
  readonly machine: Machine;
}

const SLICE = 1_000_000;

/** A growable byte buffer. */
class ByteSink {
  private bytes = new Uint8Array(256);
  length = 0;
  push(b: number): void {
    if (this.length === this.bytes.length) {
      const bigger = new Uint8Array(this.bytes.length * 2);
      bigger.set(this.bytes);
      this.bytes = bigger;
    }
    this.bytes[this.length++] = b;
  }
  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

function setRegister(m: Machine, reg: number, value: number): void {
  m.cpu.regs[2 * reg] = value | 0;
  m.cpu.regs[2 * reg + 1] = Math.floor(value / 2 ** 32) | 0;
}

/**
 * Writes the argument strings and the argv array (NULL-terminated) at the
 * top of RAM and returns [argv address, initial rsp]. rsp is left as a call
 * leaves it: 8 below a 16-byte boundary, pointing at a return address of 0.
 */
function placeArguments(m: Machine, argv: readonly string[]): [number, number] {
  const encoder = new TextEncoder();
  let top = m.memory.size;
  const pointers: number[] = [];
  for (const arg of argv) {
    const bytes = encoder.encode(arg);
    top -= bytes.length + 1;
    m.memory.writeBytes(top, bytes);
    m.memory.write8(top + bytes.length, 0);
    pointers.push(top);
  }
  top = Math.floor(top / 16) * 16;
  const array = top - Math.ceil((argv.length + 1) / 2) * 16;
  pointers.forEach((p, i) => m.memory.write64(array + 8 * i, p, 0));
  m.memory.write64(array + 8 * argv.length, 0, 0);
  const rsp = array - 8;
  m.memory.write64(rsp, 0, 0);
  return [array, rsp];
}

/** Runs a hosted program image (see buildHosted) to its end or its budget. */
export function runHosted(image: Pick<ProgramImage, 'entry' | 'segments'>, options: HostedRunOptions): HostedRunResult {
  const out = new ByteSink();
  const err = new ByteSink();
  const onStdout = options.onStdout;
  const onStderr = options.onStderr;
  const m = new Machine({
    memorySize: HOSTED_MEMORY_SIZE,
    output: {
      stdout: (b) => {
        out.push(b);
        onStdout?.(b);
      },
      stderr: (b) => {
        err.push(b);
        onStderr?.(b);
      },
    },
  });
  const problems = loadImage(m.memory, image);
  if (problems.length > 0) throw new Error(`the program image does not fit the hosted machine: ${problems.join('; ')}`);
  const argv = options.argv ?? ['a.out'];
  const [argvAddress, rsp] = placeArguments(m, argv);
  setRegister(m, Reg.RDI, argv.length);
  setRegister(m, Reg.RSI, argvAddress);
  setRegister(m, Reg.RSP, rsp);
  m.cpu.rip = image.entry;
  const input = typeof options.stdin === 'string' ? new TextEncoder().encode(options.stdin) : (options.stdin ?? new Uint8Array(0));
  for (const b of input) m.devices.pressKey(b, 0);

  let stop: StopReason = { kind: 'budget' };
  let remaining = options.maxInstructions;
  while (remaining > 0) {
    const before = m.icount;
    stop = m.run(Math.min(SLICE, remaining), { stopOnFault: () => true });
    remaining -= Math.max(1, m.icount - before);
    if (stop.kind !== 'budget') break;
    options.onProgress?.(m.icount);
  }
  return {
    stdout: out.result(),
    stderr: err.result(),
    exitStatus: stop.kind === 'exit' ? stop.status : null,
    stop,
    instructions: m.icount,
    machine: m,
  };
}
