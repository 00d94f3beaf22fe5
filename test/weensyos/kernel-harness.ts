// Builds a WeensyOS kernel from a test's own kernel.c text (with the
// built-in support library, headers and programs), boots it and runs it to
// power-off, shutdown, a fault or an instruction limit, then hands back what
// a test checks: the log bytes, the console, memory and symbols.
//
// A test kernel.c must define what the support library needs from it:
// `kernel`, `exception` and `assign_physical_page` (KERNEL_PRELUDE gives the
// usual pageinfo-based assign_physical_page plus run/schedule helpers).

import { expect } from 'vitest';
import {
  bootWeensyOS, buildWeensyOS, consoleText, formatDiagnostic, readConsole,
  type ConsoleScreen, type LinkedImage, type Machine, type StopReason, type WeensyBuild, type WeensyVariant,
} from '../../emulator/index';

/** The workspace folder test kernels live in. */
export const WORKSPACE = 'ws';

export interface KernelOptions {
  /** -D definitions (TICK_LIMIT etc.). */
  readonly defines?: Record<string, string>;
  readonly variant?: WeensyVariant;
  /** Other workspace files (kernel.h, k-loader.c, ...) by name. */
  readonly files?: Record<string, string>;
}

export interface RunOptions {
  /** The boot command (undefined: first boot, NULL). */
  readonly command?: string;
  /** Instruction budget; the run stops at power-off, shutdown, a fault or this. */
  readonly limit?: number;
  /** Keys to press: [key byte, instruction count at which it arrives]. */
  readonly keys?: readonly (readonly [number, number])[];
  /** Timer period in user-mode instructions (default: the WeensyOS boot default). */
  readonly instructionsPerTick?: number;
  /** 32-bit values written to kernel globals (by symbol) after loading, before the first instruction. */
  readonly poke?: Record<string, number>;
}

export interface KernelRun {
  readonly image: LinkedImage;
  readonly machine: Machine;
  readonly stop: StopReason;
  /** The log (parallel port) as latin1 text. */
  readonly log: string;
  readonly screen: ConsoleScreen;
  /** The console as text, one string per row, trailing blanks trimmed. */
  readonly lines: string[];
}

const buildCache = new Map<string, WeensyBuild>();

/** Compiles the kernel and programs (cached by text and options); fails the test with the diagnostics if it does not build. */
export function buildWeensy(kernelC: string, options: KernelOptions = {}): WeensyBuild {
  const key = JSON.stringify([kernelC, options]);
  let build = buildCache.get(key);
  if (!build) {
    const files = new Map<string, string>([[`${WORKSPACE}/kernel.c`, kernelC]]);
    for (const [name, text] of Object.entries(options.files ?? {})) files.set(`${WORKSPACE}/${name}`, text);
    build = buildWeensyOS({
      host: { readFile: (p) => files.get(p) },
      workspace: WORKSPACE,
      defines: new Map(Object.entries(options.defines ?? {})),
      variant: options.variant,
    });
    buildCache.set(key, build);
  }
  const errors = build.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  expect(errors, 'the test kernel compiles').toEqual([]);
  expect(build.kernel).toBeDefined();
  return build;
}

/** The kernel image of buildWeensy. */
export function buildKernel(kernelC: string, options: KernelOptions = {}): LinkedImage {
  return buildWeensy(kernelC, options).kernel!;
}

/** Builds and boots a test kernel and runs it. */
export function runKernel(kernelC: string, options: KernelOptions & RunOptions = {}): KernelRun {
  const image = buildKernel(kernelC, options);
  return runImage(image, options);
}

export function runImage(image: LinkedImage, options: RunOptions = {}): KernelRun {
  const bytes: number[] = [];
  const machine = bootWeensyOS(image, {
    command: options.command,
    output: { log: (b) => bytes.push(b) },
    ...(options.instructionsPerTick !== undefined ? { instructionsPerTick: options.instructionsPerTick } : {}),
  });
  for (const [key, at] of options.keys ?? []) machine.devices.pressKey(key, at);
  for (const [name, value] of Object.entries(options.poke ?? {})) write32(machine, symbol(image, name), value);
  const stop = machine.run(options.limit ?? 20_000_000);
  const screen = readConsole(machine.memory);
  return {
    image, machine, stop,
    log: String.fromCharCode(...bytes.slice(0, 0x10000)) + (bytes.length > 0x10000 ? latin1(bytes.slice(0x10000)) : ''),
    screen, lines: consoleText(screen),
  };
}

function latin1(bytes: number[]): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.slice(i, i + 0x8000));
  return s;
}

/** The address of a kernel symbol (fails the test if it is missing). */
export function symbol(image: LinkedImage, name: string): number {
  const s = image.symbols.get(name);
  expect(s, `symbol ${name}`).toBeDefined();
  return s!.address;
}

/** A 64-bit little-endian word of physical memory, as a bigint. */
export function read64(m: Machine, pa: number): bigint {
  const b = m.memory.readBytes(pa, 8);
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

/** A 32-bit little-endian word of physical memory, unsigned. */
export function read32(m: Machine, pa: number): number {
  const b = m.memory.readBytes(pa, 4);
  return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
}

export function write32(m: Machine, pa: number, value: number): void {
  m.memory.writeBytes(pa, new Uint8Array([value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff]));
}

/** Console cell (row, column): char | attribute << 8. */
export function cell(run: KernelRun, row: number, col: number): number {
  return run.screen.cells[row * 80 + col]!;
}

/** The cells of a console row from `col`, `n` long. */
export function cells(run: KernelRun, row: number, col: number, n: number): number[] {
  return Array.from(run.screen.cells.slice(row * 80 + col, row * 80 + col + n));
}

/** The cells console_printf writes for `text` in `color` (an attribute shifted left by 8). */
export function painted(text: string, color: number): number[] {
  return [...text].map((c) => (c.charCodeAt(0) | color) & 0xffff);
}

/** Expects the run to have powered off (with the screen and log in the message if not). */
export function expectPoweroff(run: KernelRun): void {
  expect(run.stop.kind, describeRun(run)).toBe('poweroff');
}

export function describeRun(run: KernelRun): string {
  const stop = run.stop.kind === 'shutdown' ? `shutdown: ${run.stop.diagnosis.text}` : run.stop.kind;
  return `stop ${stop}\n--- console\n${run.lines.join('\n').trimEnd()}\n--- log\n${run.log.slice(0, 3000)}`;
}

/** Log lines that start with `prefix`, prefix removed. */
export function logLines(run: KernelRun, prefix: string): string[] {
  return run.log.split('\n').filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
}

/**
 * The usual kernel.c state and helpers: processes[], current, ticks,
 * pageinfo[] with assign_physical_page as the handout defines it (logging
 * "assign <addr> <owner>" while `log_assign` is set), run() and
 * schedule(), and a page-table allocator `test_alloc` handing out pages
 * from a static pool (counting calls in `alloc_calls`; `alloc_fail` makes it
 * return NULL). A test adds kernel() and exception().
 */
export const KERNEL_PRELUDE = String.raw`
#include "kernel.h"
static proc processes[NPROC];
proc* current;
static unsigned ticks;
typedef struct physical_pageinfo { int8_t owner; int8_t refcount; } physical_pageinfo;
static physical_pageinfo pageinfo[NPAGES];
static int log_assign;
int assign_physical_page(uintptr_t addr, int8_t owner) {
    if (log_assign) {
        log_printf("assign %p %d\n", addr, owner);
    }
    if ((addr & 0xFFF) != 0 || addr >= MEMSIZE_PHYSICAL || pageinfo[PAGENUMBER(addr)].refcount != 0) {
        return -1;
    }
    pageinfo[PAGENUMBER(addr)].refcount = 1;
    pageinfo[PAGENUMBER(addr)].owner = owner;
    return 0;
}
void run(proc* p) {
    current = p;
    set_pagetable(p->p_pagetable);
    exception_return(&p->p_registers);
}
void schedule(void) {
    pid_t pid = current->p_pid;
    while (1) {
        pid = (pid + 1) % NPROC;
        if (processes[pid].p_state == P_RUNNABLE) {
            run(&processes[pid]);
        }
        check_keyboard();
    }
}
static x86_64_pagetable test_pool[8];
static int alloc_calls;
static int alloc_fail;
static uintptr_t alloc_last;
x86_64_pagetable* test_alloc(void) {
    if (alloc_fail || alloc_calls >= 8) {
        return NULL;
    }
    x86_64_pagetable* pt = &test_pool[alloc_calls++];
    memset(pt, 0xAB, PAGESIZE);
    alloc_last = (uintptr_t) pt;
    return pt;
}
`;

/** A kernel whose kernel() runs `body` (after hardware_init and console_clear) then powers off; exception() panics. */
export function kernelWith(body: string, extra = ''): string {
  return `${KERNEL_PRELUDE}
${extra}
void exception(x86_64_registers* reg) {
    panic("Unexpected exception %d!\\n", (int) reg->reg_intno);
}
void kernel(const char* command) {
    (void) command;
    hardware_init();
    console_clear();
    ${body}
    poweroff();
}
`;
}

/** The `name=value` pairs a test kernel logged, one per line (later ones win). */
export function logValues(run: KernelRun): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of run.log.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && /^[A-Za-z0-9_.]+$/.test(line.slice(0, eq))) values.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return values;
}

/**
 * The line `assert(expr)` is on in a built-in support file (1-based), searching
 * from the first line that contains `after` (a function's name, say), and
 * failing the test unless there is exactly one there.
 */
export function assertLine(fileText: string, expr: string, after?: string): number {
  const lines = fileText.split('\n');
  const from = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  expect(from, `a line with ${after}`).toBeGreaterThanOrEqual(0);
  const hits = lines.flatMap((l, i) => (i >= from && l.includes(`assert(${expr});`) ? [i + 1] : []));
  expect(hits.length, `one assert(${expr})`).toBeGreaterThanOrEqual(1);
  if (after === undefined) expect(hits.length, `exactly one assert(${expr})`).toBe(1);
  return hits[0]!;
}

/**
 * Expects `message` (no newline) printed at console position `cpos` in
 * `color`, wrapping at the end of a row, followed by the blanks a '\n' writes
 * to the end of its row.
 */
export function expectPrintedLine(run: KernelRun, cpos: number, message: string, color: number): void {
  const end = cpos + message.length;
  const rowEnd = end % 80 === 0 ? end : end + 80 - (end % 80);
  const got = Array.from(run.screen.cells.slice(cpos, rowEnd));
  expect(String.fromCharCode(...got.map((c) => c & 0xff)).trimEnd(), describeRun(run)).toBe(message);
  expect(got).toEqual(painted(message.padEnd(rowEnd - cpos), color));
}

/**
 * For describe(): every test builds (the first time) and runs a kernel, which
 * takes seconds with the interpreter alone (WEENSY_JIT=0) on a loaded machine.
 */
export const SLOW = { timeout: 120_000 };
