// The WeensyOS grading log, read back: the memory dumps that the NYU/UCL
// kernel.c writes through log_printf (parallel port 0x378, log.txt), as the
// course's grader (parse_log.py) reads them (FACTS.md section 6):
//
//   PM_DUMP <ticks>            then 512 pairs    <owner as uint8> <refcount>
//   VM_DUMP <pid> <ticks>      then 768 triples  <owner> <refcount> <perm>   ("0 0 0": unmapped)
//
// The handout prints the pid with "%d " (so a double space follows it) and
// breaks lines every 64 pages, but students' own memdump functions break
// lines differently: the log is read token by token, whitespace-insensitively.
// Anything between dumps (student prints, "PANIC: ..." lines) is skipped;
// a dump that stops early (a panic in the middle of it, or a truncated log)
// is reported as a problem, not returned.

/** Physical pages in a PM_DUMP (MEMSIZE_PHYSICAL / PAGESIZE). */
export const PM_DUMP_PAGES = 512;
/** Virtual pages in a VM_DUMP (MEMSIZE_VIRTUAL / PAGESIZE). */
export const VM_DUMP_PAGES = 768;

export interface PhysicalPageRecord {
  /** The owner as the log prints it, an unsigned byte: 254 kernel, 255 reserved, 0 free, else a pid. */
  readonly owner: number;
  readonly refcount: number;
}

export interface VirtualPageRecord extends PhysicalPageRecord {
  /** PTE_P | PTE_W | PTE_U as virtual_memory_lookup returns them (0 when unmapped). */
  readonly perm: number;
}

export interface PhysicalDump {
  readonly kind: 'pm';
  readonly ticks: number;
  /** 1-based line of the PM_DUMP header in the log. */
  readonly line: number;
  readonly pages: readonly PhysicalPageRecord[];
}

export interface VirtualDump {
  readonly kind: 'vm';
  readonly pid: number;
  readonly ticks: number;
  readonly line: number;
  readonly pages: readonly VirtualPageRecord[];
}

export type MemoryDump = PhysicalDump | VirtualDump;

/** A line of the log that reports a kernel panic ("PANIC: message", or "PANIC" alone). */
export interface PanicLine {
  readonly line: number;
  /** The line from "PANIC" on, trimmed. */
  readonly text: string;
  /** The ticks of the last dump header read before it (undefined: none yet). */
  readonly afterTicks?: number;
}

export interface LogProblem {
  readonly line: number;
  readonly message: string;
}

export interface ParsedLog {
  /** Complete dumps, in log order. */
  readonly dumps: readonly MemoryDump[];
  readonly panics: readonly PanicLine[];
  /** Dumps that could not be read (truncated, malformed header). */
  readonly problems: readonly LogProblem[];
}

const INTEGER = /^[-+]?\d+$/;
const PANIC = /(?:^|\s)(PANIC(?::[^\n]*)?)(?=\s|$)/;

interface Token {
  readonly text: string;
  readonly line: number;
}

/** The whitespace-separated tokens of `text` with their 1-based line numbers. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
    } else if (c === 32 || c === 9 || c === 13 || c === 11 || c === 12) {
      i++;
    } else {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 10 || d === 32 || d === 9 || d === 13 || d === 11 || d === 12) break;
        j++;
      }
      tokens.push({ text: text.slice(i, j), line });
      i = j;
    }
  }
  return tokens;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Reads the dumps and panic lines of a WeensyOS log. Never throws. */
export function parseWeensyLog(text: string): ParsedLog {
  const dumps: MemoryDump[] = [];
  const panics: PanicLine[] = [];
  const problems: LogProblem[] = [];
  let lastTicks: number | undefined;

  // Panic lines, by line number, with the ticks of the dump header before them.
  const lines = text.split('\n');
  const panicAt = new Map<number, string>();
  lines.forEach((l, i) => {
    const m = PANIC.exec(l);
    if (m) panicAt.set(i + 1, m[1]!.trim());
  });

  const tokens = tokenize(text);
  let nextPanicLine = 0;
  const panicLines = [...panicAt.keys()];
  /** Records the panic lines up to (and including) line `upTo`. */
  const notePanics = (upTo: number): void => {
    while (nextPanicLine < panicLines.length && panicLines[nextPanicLine]! <= upTo) {
      const line = panicLines[nextPanicLine++]!;
      panics.push({ line, text: panicAt.get(line)!, ...(lastTicks !== undefined ? { afterTicks: lastTicks } : {}) });
    }
  };

  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t.text !== 'PM_DUMP' && t.text !== 'VM_DUMP') {
      i++;
      continue;
    }
    notePanics(t.line - 1);
    const kind = t.text === 'PM_DUMP' ? 'pm' : 'vm';
    const headerNumbers = kind === 'pm' ? 1 : 2;
    const header: number[] = [];
    let j = i + 1;
    while (header.length < headerNumbers && j < tokens.length && INTEGER.test(tokens[j]!.text)) header.push(Number(tokens[j++]!.text));
    if (header.length < headerNumbers) {
      const next = tokens[j];
      const expected = kind === 'pm' ? 'PM_DUMP <ticks>' : 'VM_DUMP <pid> <ticks>';
      problems.push({
        line: t.line,
        message: `${t.text} header is incomplete: expected ${expected}, ${next ? `found '${next.text}'` : 'the log ends'}`,
      });
      i = j;
      continue;
    }
    const ticks = header[headerNumbers - 1]!;
    const pid = kind === 'vm' ? header[0]! : 0;
    lastTicks = ticks;
    const pagesWanted = kind === 'pm' ? PM_DUMP_PAGES : VM_DUMP_PAGES;
    const perPage = kind === 'pm' ? 2 : 3;
    const numbersWanted = pagesWanted * perPage;
    const start = j;
    while (j < tokens.length && j - start < numbersWanted && INTEGER.test(tokens[j]!.text)) j++;
    const got = j - start;
    const name = kind === 'pm' ? `PM_DUMP at tick ${ticks}` : `VM_DUMP of process ${pid} at tick ${ticks}`;
    if (got < numbersWanted) {
      const next = tokens[j];
      const what = kind === 'pm' ? 'physical pages' : 'virtual pages';
      const whole = Math.floor(got / perPage);
      const partial = got % perPage ? ` (and ${plural(got % perPage, 'number')} of the next)` : '';
      problems.push({
        line: t.line,
        message:
          `${name} (line ${t.line}) is truncated: it has ${whole} of ${pagesWanted} ${what}${partial}, ` +
          (next ? `then '${next.text.length > 40 ? next.text.slice(0, 40) + '...' : next.text}' on line ${next.line}` : 'then the log ends'),
      });
      i = j;
      continue;
    }
    if (kind === 'pm') {
      const pages: PhysicalPageRecord[] = [];
      for (let p = 0; p < pagesWanted; p++) {
        pages.push({ owner: Number(tokens[start + 2 * p]!.text) & 0xff, refcount: Number(tokens[start + 2 * p + 1]!.text) });
      }
      dumps.push({ kind: 'pm', ticks, line: t.line, pages });
    } else {
      const pages: VirtualPageRecord[] = [];
      for (let p = 0; p < pagesWanted; p++) {
        pages.push({
          owner: Number(tokens[start + 3 * p]!.text) & 0xff,
          refcount: Number(tokens[start + 3 * p + 1]!.text),
          perm: Number(tokens[start + 3 * p + 2]!.text),
        });
      }
      dumps.push({ kind: 'vm', pid, ticks, line: t.line, pages });
    }
    i = j;
  }
  notePanics(Number.POSITIVE_INFINITY);
  return { dumps, panics, problems };
}
