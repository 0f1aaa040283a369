// The regex tree: parses the part of the syntax that RE2 and JavaScript read alike (see
// ../regex.ts). Anything else is not in the common subset and runs on re2js.

/** RE2's own limit on repeat counts. */
const MAX_REPEAT = 1000;

export type Range = readonly [number, number];
export type RegexNode =
  | { t: "set"; ranges: Range[]; negated: boolean }
  | { t: "seq"; items: RegexNode[] }
  | { t: "alt"; items: RegexNode[] }
  | { t: "rep"; body: RegexNode; min: number; max: number; lazy: boolean }
  | { t: "assert"; kind: "^" | "$" };

export const MAX_CODE_POINT = 0x10ffff;
const DIGIT: Range[] = [[0x30, 0x39]];
const WORD: Range[] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
// RE2's \s: [\t\n\f\r ] (no \v, no Unicode spaces).
const SPACE: Range[] = [
  [0x09, 0x0a],
  [0x0c, 0x0d],
  [0x20, 0x20],
];
const NEWLINE: Range[] = [[0x0a, 0x0a]];
const SIMPLE_ESCAPES: Record<string, number> = { t: 0x09, n: 0x0a, v: 0x0b, f: 0x0c, r: 0x0d };

class Unsupported extends Error {}

/**
 * Parses the part of regex syntax that RE2 and JavaScript read alike; undefined for anything
 * else (the pattern then runs on re2js, which already accepted it).
 */
export function parseCommonSubset(pattern: string, ignoreCase = false): RegexNode | undefined {
  try {
    const p = new Parser(pattern, ignoreCase);
    const node = p.alternation();
    if (p.i < pattern.length) throw new Unsupported();
    return node;
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

class Parser {
  i = 0;
  constructor(
    private readonly s: string,
    private readonly ignoreCase: boolean,
  ) {}

  private peek(): string | undefined {
    return this.s[this.i];
  }

  alternation(): RegexNode {
    const items = [this.sequence()];
    while (this.peek() === "|") {
      this.i++;
      items.push(this.sequence());
    }
    return items.length === 1 ? items[0]! : { t: "alt", items };
  }

  private sequence(): RegexNode {
    const items: RegexNode[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === "|" || c === ")") break;
      const atom = this.atom();
      items.push(atom.t === "assert" ? atom : this.quantified(atom));
    }
    return items.length === 1 ? items[0]! : { t: "seq", items };
  }

  private atom(): RegexNode {
    const c = this.s[this.i]!;
    switch (c) {
      case "(": {
        this.i++;
        if (this.s.startsWith("?:", this.i)) this.i += 2;
        else if (this.peek() === "?") throw new Unsupported();
        const inner = this.alternation();
        if (this.peek() !== ")") throw new Unsupported();
        this.i++;
        return inner;
      }
      case "[":
        return this.charClass();
      case ".":
        this.i++;
        return { t: "set", ranges: NEWLINE, negated: true };
      case "^":
      case "$":
        this.i++;
        return { t: "assert", kind: c };
      case "\\":
        return this.escape();
      case "*":
      case "+":
      case "?":
      case "{":
      case "}":
      case "]":
        throw new Unsupported();
      default: {
        const cp = this.s.codePointAt(this.i)!;
        this.i += cp > 0xffff ? 2 : 1;
        return { t: "set", ranges: [[cp, cp]], negated: false };
      }
    }
  }

  private escape(): RegexNode {
    const e = this.s[this.i + 1];
    this.i += 2;
    if (e === undefined) throw new Unsupported();
    const cls = classEscape(e);
    if (cls) return { t: "set", ranges: cls.ranges, negated: cls.negated };
    return { t: "set", ranges: [[escapedChar(e), escapedChar(e)]], negated: false };
  }

  private quantified(atom: RegexNode): RegexNode {
    let min: number;
    let max: number;
    const c = this.peek();
    if (c === "*") [min, max] = [0, Infinity];
    else if (c === "+") [min, max] = [1, Infinity];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(this.s.slice(this.i));
      if (!m) throw new Unsupported();
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      if (min > MAX_REPEAT || (max !== Infinity && (max > MAX_REPEAT || max < min))) throw new Unsupported();
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    const lazy = this.peek() === "?";
    if (lazy) this.i++;
    const next = this.peek();
    if (next === "*" || next === "+" || next === "?" || next === "{") throw new Unsupported();
    return { t: "rep", body: atom, min, max, lazy };
  }

  private charClass(): RegexNode {
    this.i++;
    const negated = this.peek() === "^";
    if (negated) this.i++;
    if (this.peek() === "]") throw new Unsupported(); // RE2: a literal "]"; JavaScript: an empty class
    const ranges: Range[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === "[") throw new Unsupported(); // "[" may open a POSIX class in RE2
      if (c === "]") {
        this.i++;
        break;
      }
      const lo = this.classAtom();
      if (typeof lo !== "number") {
        ranges.push(...lo);
        continue;
      }
      if (this.peek() === "-" && this.s[this.i + 1] !== "]" && this.s[this.i + 1] !== undefined) {
        this.i++;
        const hi = this.classAtom();
        if (typeof hi !== "number" || hi < lo) throw new Unsupported();
        ranges.push([lo, hi]);
      } else ranges.push([lo, lo]);
    }
    return { t: "set", ranges: normalize(ranges), negated };
  }

  /** One character (its code point) or a class escape (its ranges). */
  private classAtom(): number | Range[] {
    const c = this.s[this.i]!;
    if (c !== "\\") {
      const cp = this.s.codePointAt(this.i)!;
      this.i += cp > 0xffff ? 2 : 1;
      return cp;
    }
    const e = this.s[this.i + 1];
    this.i += 2;
    if (e === undefined) throw new Unsupported();
    const cls = classEscape(e);
    // [\W…] under i: JavaScript folds the explicit complement (ſ → s), RE2 does not.
    if (cls?.negated && this.ignoreCase) throw new Unsupported();
    if (cls) return cls.negated ? complement(cls.ranges) : cls.ranges;
    return escapedChar(e);
  }
}

/** \d \w \s and their complements \D \W \S. */
const CLASS_ESCAPES: Readonly<Record<string, { ranges: Range[]; negated: boolean }>> = {
  d: { ranges: DIGIT, negated: false },
  D: { ranges: DIGIT, negated: true },
  w: { ranges: WORD, negated: false },
  W: { ranges: WORD, negated: true },
  s: { ranges: SPACE, negated: false },
  S: { ranges: SPACE, negated: true },
};

function classEscape(e: string): { ranges: Range[]; negated: boolean } | undefined {
  // Own keys only: "constructor" is not an escape.
  return Object.hasOwn(CLASS_ESCAPES, e) ? CLASS_ESCAPES[e] : undefined;
}

/** `\t`, `\n`, … and escaped ASCII punctuation; any other escape is not in the common subset. */
function escapedChar(e: string): number {
  const simple = SIMPLE_ESCAPES[e];
  if (simple !== undefined) return simple;
  if (/^[!-/:-@[-`{-~]$/.test(e)) return e.charCodeAt(0);
  throw new Unsupported();
}

export function normalize(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function complement(ranges: Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalize(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}
