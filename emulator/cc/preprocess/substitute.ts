// Argument substitution (C11 6.10.3.1-6.10.3.3): builds the replacement of
// one macro invocation, ready for rescanning.
//
// This follows gcc's replace_args step by step, paddings included, so that
// spacing, placemarkers, GNU comma elision (`, ## __VA_ARGS__`) and
// __VA_OPT__ behave exactly as in gcc 12:
// - a parameter next to # or ## takes its argument as written; any other
//   takes it fully macro-expanded;
// - an empty argument next to ## is a placemarker (C11 6.10.3.3p2);
// - `, ## __VA_ARGS__` loses its comma when the variable arguments were left
//   out, and otherwise the comma is simply not pasted;
// - __VA_OPT__(x) is x if the variable arguments expand to at least one
//   token, else nothing.
// The ## operators are then applied left to right (the order is
// unspecified by C11 6.10.3.3p3; gcc goes left to right).

import type { Expansion } from '../token';
import type { Expander } from './expander';
import type { ExpansionHost } from './expansion-host';
import type { BodyToken, Macro } from './macro';
import { pasteTokens } from './paste-tokens';
import { AVOID_PASTE, eofAt, isPunct, padding, type Item, type PPToken } from './pp-token';
import { stringize } from './stringize';

export interface MacroArg {
  /** The argument as written, without leading or trailing paddings. */
  readonly tokens: readonly Item[];
  /** True if a variadic argument was left out entirely, not merely empty (matters to `, ## __VA_ARGS__`). */
  readonly absent: boolean;
  expanded?: Item[];
  stringized?: string;
}

/** One item of the replacement, and whether it is the left operand of a ##. */
interface Slot {
  readonly item: Item;
  paste: boolean;
}

export function substitute(macro: Macro, args: MacroArg[], expansion: Expansion, expander: Expander, host: ExpansionHost): Item[] {
  return applyPastes(new Substitution(macro, args, expansion, expander, host).run(), expansion, host);
}

/** One invocation's replacement being built, slot by slot, with gcc's __VA_OPT__ state. */
class Substitution {
  private readonly out: Slot[] = [];
  private readonly eof: PPToken;
  private vaoptIncluded = false;
  private vaoptStringify = false;
  /** out.length when the current __VA_OPT__ began, or -1 outside one. */
  private vaoptMark = -1;

  constructor(
    private readonly macro: Macro,
    private readonly args: MacroArg[],
    private readonly expansion: Expansion,
    private readonly expander: Expander,
    private readonly host: ExpansionHost,
  ) {
    this.eof = eofAt(expansion.invocation);
  }

  run(): Slot[] {
    const body = this.macro.bodyTokens;
    const out = this.out;
    for (let i = 0; i < body.length; i++) {
      const src = body[i]!;
      const afterPaste = i > 0 && body[i - 1]!.pasteLeft;
      switch (src.vaopt) {
        case 'begin':
          if (i > 0 && !afterPaste) out.push({ item: padding(src), paste: false });
          this.vaoptMark = out.length;
          this.vaoptStringify = src.stringify;
          continue;
        case 'open': {
          const va = this.macro.variadic ? this.args[this.args.length - 1] : undefined;
          this.vaoptIncluded = va !== undefined && this.expanded(va).some((t) => t.kind !== 'padding');
          continue;
        }
        case 'end':
          endVaOpt(out, this.vaoptMark, this.vaoptStringify, src, this.expansion);
          this.vaoptMark = -1;
          continue;
        case 'inner':
          if (!this.vaoptIncluded) continue;
          break;
        case 'none':
          break;
      }
      if (src.param < 0) out.push({ item: copyBodyToken(src, this.expansion), paste: src.pasteLeft });
      else this.parameter(src, i > 0, afterPaste);
    }
    return out;
  }

  private expanded(arg: MacroArg): Item[] {
    return (arg.expanded ??= this.expander.expandList(arg.tokens, this.eof));
  }

  /** Replaces the parameter `src` by its argument; `notFirst` is false for the replacement list's first token. */
  private parameter(src: BodyToken, notFirst: boolean, afterPaste: boolean): void {
    const out = this.out;
    const arg = this.args[src.param]!;
    const atVaOptStart = this.vaoptMark > 0 && out.length === this.vaoptMark;
    let tokens: readonly Item[];
    let pasteTarget: Slot | undefined;
    if (src.stringify) {
      tokens = [stringized(arg, src, this.expansion, this.host)];
    } else if (src.pasteLeft) {
      tokens = arg.tokens;
    } else if (afterPaste) {
      tokens = arg.tokens;
      const last = out[out.length - 1];
      if (last !== undefined) {
        if (isPunct(last.item, ',') && this.macro.variadic && src.param === this.macro.params!.length - 1) {
          if (arg.absent) out.pop();
          else pasteTarget = last;
        } else if (tokens.length === 0) {
          pasteTarget = last;
        }
      }
    } else {
      tokens = this.expanded(arg);
      // At the start of a __VA_OPT__, the argument's leading paddings are dropped (the __VA_OPT__'s own padding stands for them).
      if (atVaOptStart) {
        const first = tokens.findIndex((t) => t.kind !== 'padding');
        tokens = first < 0 ? [] : tokens.slice(first);
      }
    }
    // Paddings around a substituted argument carry the parameter's whitespace and keep the argument from running into its neighbours.
    if (notFirst && !afterPaste && !atVaOptStart) out.push({ item: padding(src), paste: false });
    for (const t of tokens) out.push({ item: t, paste: false });
    if (tokens.length > 0 && src.pasteLeft) pasteTarget = out[out.length - 1];
    if (!src.pasteLeft) out.push({ item: AVOID_PASTE, paste: false });
    // The slot before a ## gets the parameter's own ## (or loses its ## when the argument was a placemarker).
    if (pasteTarget !== undefined) pasteTarget.paste = src.pasteLeft;
  }
}

function copyBodyToken(src: BodyToken, expansion: Expansion): PPToken {
  const t = src.token;
  return { kind: t.kind, text: t.text, range: t.range, expansion, spaceBefore: src.spaceBefore, lineStart: false };
}

function stringized(arg: MacroArg, src: BodyToken, expansion: Expansion, host: ExpansionHost): PPToken {
  let text = arg.stringized;
  const token: PPToken = { kind: 'string', text: text ?? '', range: src.range, expansion, spaceBefore: false, lineStart: false };
  if (text === undefined) {
    const s = stringize(arg.tokens);
    if (s.droppedBackslash) host.warning("invalid string literal, ignoring final '\\'", token);
    text = arg.stringized = s.text;
  }
  return { ...token, text };
}

/** The closing parenthesis of a __VA_OPT__: stringizes its contents if it was `#__VA_OPT__`, or prepares a paste. */
function endVaOpt(out: Slot[], mark: number, stringify: boolean, src: BodyToken, expansion: Expansion): void {
  if (stringify) {
    const inner = out.splice(mark).map((s) => s.item);
    const text = stringize(inner).text;
    out.push({ item: { kind: 'string', text, range: src.range, expansion, spaceBefore: false, lineStart: false }, paste: src.pasteLeft });
  } else if (src.pasteLeft) {
    while (out.length > mark && out[out.length - 1]!.item === AVOID_PASTE) out.pop();
    const last = out[out.length - 1];
    if (last !== undefined && last.item.kind !== 'padding') last.paste = true;
  } else {
    out.push({ item: AVOID_PASTE, paste: false });
  }
}

/** Applies the ## operators left to right; an invalid paste is an error, and both tokens are kept. */
function applyPastes(out: readonly Slot[], expansion: Expansion, host: ExpansionHost): Item[] {
  const items: Item[] = [];
  for (let i = 0; i < out.length; i++) {
    const slot = out[i]!;
    if (!slot.paste || slot.item.kind === 'padding') {
      items.push(slot.item);
      continue;
    }
    const first = slot.item;
    let lhs: PPToken = first;
    for (let more = true; more; ) {
      const next = out[i + 1];
      if (next === undefined) break;
      if (next.item.kind === 'padding') {
        // Only an emptied __VA_OPT__ leaves a separator here: it ends the paste, like a placemarker.
        i++;
        break;
      }
      const joined = pasteTokens(lhs, next.item, expansion);
      if (joined === undefined) {
        host.error(`pasting "${lhs.text}" and "${next.item.text}" does not give a valid preprocessing token`, lhs, undefined, expansion);
        break;
      }
      lhs = joined;
      more = next.paste;
      i++;
    }
    items.push(padding(first), lhs, AVOID_PASTE);
  }
  return items;
}
