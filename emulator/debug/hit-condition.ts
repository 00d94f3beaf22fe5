// DAP hit conditions, as VS Code's JavaScript debugger reads them: an
// optional operator and a count. "3" (or "== 3") stops on the third hit
// only, ">= 3" on the third and later, "> 3", "< 3", "<= 3", and "% 2" on
// every second hit. Hits are counted after the condition holds.

export type HitTest = (hits: number) => boolean;

const HIT_CONDITION = /^\s*(>=|<=|={1,3}|>|<|%)?\s*([0-9]+)\s*$/;

/** The test for a hit condition, or a message saying what is wrong with it. */
export function parseHitCondition(text: string): { ok: true; test: HitTest } | { ok: false; message: string } {
  const m = HIT_CONDITION.exec(text);
  if (!m) return { ok: false, message: `the hit count "${text}" is not a count: write 3, == 3, >= 3, > 3, < 3, <= 3 or % 3` };
  const n = Number(m[2]);
  switch (m[1]) {
    case '>=':
      return { ok: true, test: (h) => h >= n };
    case '>':
      return { ok: true, test: (h) => h > n };
    case '<':
      return { ok: true, test: (h) => h < n };
    case '<=':
      return { ok: true, test: (h) => h <= n };
    case '%':
      if (n === 0) return { ok: false, message: 'the hit count "% 0" divides by zero' };
      return { ok: true, test: (h) => h % n === 0 };
    default:
      return { ok: true, test: (h) => h === n };
  }
}
