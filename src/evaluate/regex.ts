// The one place rule patterns become matchers. Rule authors write patterns; resource names,
// tags and ids come from whoever can write to the AWS account. A backtracking engine can take
// exponential (or n², n³…) time on a badly written pattern and a crafted input, so:
//
// - Every pattern must be valid RE2 syntax: no lookaround, no backreferences. Anything else is
//   a load-time error naming the rule (re2js, a pure-JS port of RE2, says what is wrong).
// - A pattern runs on V8's RegExp only when a static check proves backtracking stays linear
//   (below); every other pattern runs on re2js, whose matching is linear in the input whatever
//   the pattern. V8 is ~10× faster per match, and regexes run on every resource.
// - The V8 path does not run the author's text: it runs a pattern re-emitted from the parsed
//   tree, with RE2's meaning spelled out (`.` is `[^\n]`, `\s` is `[\t\n\f\r ]`, code points
//   with the `u` flag, case folding with `ui`), so both engines give the same answers
//   (a property test compares them on generated patterns and inputs).
//
// The proof (Glushkov positions: each character class occurrence is a position; follow sets say
// which positions may come next):
// 1. no quantifier with max > 1 has a body that can match the empty string;
// 2. wherever a position inside such a quantifier ("loop position") is among the candidates
//    for the next character, all candidates have disjoint character sets: a loop never has to
//    guess between going on and leaving, so backtracking into it fails at once;
// 3. other ambiguous choices (alternatives starting with the same text, e.g. 24 project names)
//    are allowed, but the number of paths from the start into unbounded loops is at most
//    MAX_LOOP_ENTRIES and the number of visits of other positions over all paths is bounded:
//    positions outside unbounded loops lie on no cycle, so backtracking cannot revisit them
//    more often than there are paths to them, and each way into a deterministic loop is one
//    linear run;
// 4. a pattern with unbounded loops must be anchored with `^` in every top-level alternative,
//    or V8 retries it from every start position (n² on a 10 KB name); an unanchored pattern
//    must be loop-free and small.
// Patterns the parser does not know (named groups, \b, \p{…}, inline flags, …) go to re2js.
import { createRequire } from "node:module";

export interface CompiledRegex {
  test(text: string): boolean;
  /** "native": V8's RegExp on a pattern proven linear; "re2": the linear-time re2js engine. */
  readonly engine: "native" | "re2";
}

/** Most positions (character class occurrences after expanding bounded repeats) analysed. */
const MAX_POSITIONS = 200_000;
/** Most ways into unbounded loops (each way in costs up to one pass over the input). */
const MAX_LOOP_ENTRIES = 64;
/** Most visits of positions outside unbounded loops over all paths (each costs a step). */
const MAX_POSITION_VISITS = 1_000_000;
/** The same for an unanchored pattern, which V8 tries at every start position. */
const MAX_UNANCHORED_VISITS = 256;
/** RE2's own limit on repeat counts. */
const MAX_REPEAT = 1000;

/** Compiled patterns by flags + pattern: shared definitions are compiled once per run. */
const cache = new Map<string, CompiledRegex>();
const MAX_CACHED = 1000;

export function compileRegex(pattern: string, flags: string): CompiledRegex {
  const key = `${flags}/${pattern}`;
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = compileUncached(pattern, flags);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, compiled);
  }
  return compiled;
}

function compileUncached(pattern: string, flags: string): CompiledRegex {
  if (flags !== "" && flags !== "i") throw new Error('regex flags may only be "i"');
  const ignoreCase = flags === "i";
  // The common subset the parser reads is RE2 syntax too (a property test checks that re2js
  // accepts whatever it accepts), so a proven pattern needs neither re2js nor its load time.
  const native = nativeIfProvenLinear(pattern, ignoreCase);
  if (native) return { engine: "native", test: (text) => native.test(text) };
  const re2 = compileRe2(pattern, ignoreCase);
  return { engine: "re2", test: (text) => re2.test(text) };
}

type Re2Module = typeof import("re2js");
let re2Module: Re2Module | undefined;

/** re2js, loaded on first use (most catalogues never need it). */
function re2js(): Re2Module {
  return (re2Module ??= createRequire(import.meta.url)("re2js") as Re2Module);
}

export function compileRe2(pattern: string, ignoreCase: boolean): { test(text: string): boolean } {
  const { RE2JS } = re2js();
  try {
    return RE2JS.compile(pattern, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (err) {
    const message = (err as Error).message.replace(/^error parsing regexp: /, "");
    if (/expression too large/.test(message))
      throw new Error(`too large for the linear-time regex engine (${pattern.length} characters after expanding placeholders such as {projects})`, {
        cause: err,
      });
    throw new Error(`not supported by the linear-time regex engine (RE2 syntax: no lookaround, no backreferences): ${message}`, { cause: err });
  }
}

/** The V8 RegExp for `pattern` when the static check proves it linear, else undefined. */
export function nativeIfProvenLinear(pattern: string, ignoreCase: boolean): RegExp | undefined {
  const tree = parseCommonSubset(pattern, ignoreCase);
  if (!tree || !provenLinear(tree, ignoreCase)) return undefined;
  return new RegExp(emit(tree), ignoreCase ? "ui" : "u");
}

/** The V8 RegExp the emitter builds for any pattern of the common subset, proven or not (tests compare engines with it). */
export function emitNative(pattern: string, ignoreCase: boolean): RegExp | undefined {
  const tree = parseCommonSubset(pattern, ignoreCase);
  return tree ? new RegExp(emit(tree), ignoreCase ? "ui" : "u") : undefined;
}

// ------------------------------------------------------------------------------ the tree

type Range = readonly [number, number];
type Node =
  | { t: "set"; ranges: Range[]; negated: boolean }
  | { t: "seq"; items: Node[] }
  | { t: "alt"; items: Node[] }
  | { t: "rep"; body: Node; min: number; max: number; lazy: boolean }
  | { t: "assert"; kind: "^" | "$" };

const MAX_CODE_POINT = 0x10ffff;
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
export function parseCommonSubset(pattern: string, ignoreCase = false): Node | undefined {
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

  alternation(): Node {
    const items = [this.sequence()];
    while (this.peek() === "|") {
      this.i++;
      items.push(this.sequence());
    }
    return items.length === 1 ? items[0]! : { t: "alt", items };
  }

  private sequence(): Node {
    const items: Node[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === "|" || c === ")") break;
      const atom = this.atom();
      items.push(atom.t === "assert" ? atom : this.quantified(atom));
    }
    return items.length === 1 ? items[0]! : { t: "seq", items };
  }

  private atom(): Node {
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

  private escape(): Node {
    const e = this.s[this.i + 1];
    this.i += 2;
    if (e === undefined) throw new Unsupported();
    const cls = classEscape(e);
    if (cls) return { t: "set", ranges: cls.ranges, negated: cls.negated };
    return { t: "set", ranges: [[escapedChar(e), escapedChar(e)]], negated: false };
  }

  private quantified(atom: Node): Node {
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

  private charClass(): Node {
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

function classEscape(e: string): { ranges: Range[]; negated: boolean } | undefined {
  switch (e) {
    case "d":
      return { ranges: DIGIT, negated: false };
    case "D":
      return { ranges: DIGIT, negated: true };
    case "w":
      return { ranges: WORD, negated: false };
    case "W":
      return { ranges: WORD, negated: true };
    case "s":
      return { ranges: SPACE, negated: false };
    case "S":
      return { ranges: SPACE, negated: true };
    default:
      return undefined;
  }
}

/** `\t`, `\n`, … and escaped ASCII punctuation; any other escape is not in the common subset. */
function escapedChar(e: string): number {
  const simple = SIMPLE_ESCAPES[e];
  if (simple !== undefined) return simple;
  if (/^[!-/:-@[-`{-~]$/.test(e)) return e.charCodeAt(0);
  throw new Unsupported();
}

function normalize(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(ranges: Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalize(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

// ------------------------------------------------------------------------------ the proof

interface Position {
  chars: Range[];
  /** Inside a quantifier with max > 1. */
  inLoop: boolean;
  /** The outermost unbounded quantifier (*, +, {n,}) it is inside: positions of one region form a cycle. */
  region: number | undefined;
  follow: Set<Position>;
}

interface Glushkov {
  first: Set<Position>;
  last: Set<Position>;
  nullable: boolean;
}

class TooLarge extends Error {}

function provenLinear(root: Node, ignoreCase: boolean): boolean {
  const positions: Position[] = [];
  let regions = 0;
  const build = (node: Node, inLoop: boolean, region: number | undefined): Glushkov => {
    switch (node.t) {
      case "set": {
        if (positions.length >= MAX_POSITIONS) throw new TooLarge();
        const p: Position = { chars: analysisSet(node, ignoreCase), inLoop, region, follow: new Set() };
        positions.push(p);
        return { first: new Set([p]), last: new Set([p]), nullable: false };
      }
      case "assert":
        // Zero-width: treated as always passable, which only adds paths (conservative).
        return { first: new Set(), last: new Set(), nullable: true };
      case "seq":
        return node.items.reduce<Glushkov>((acc, item) => concat(acc, build(item, inLoop, region)), { first: new Set(), last: new Set(), nullable: true });
      case "alt": {
        const parts = node.items.map((item) => build(item, inLoop, region));
        return { first: union(parts.map((p) => p.first)), last: union(parts.map((p) => p.last)), nullable: parts.some((p) => p.nullable) };
      }
      case "rep": {
        // Repeating something that can match empty ((a?)*, (a|)+): empty iterations are not modelled.
        if (node.max > 1 && canBeEmpty(node.body)) throw new TooLarge();
        const loop = inLoop || node.max > 1;
        const copy = (r: number | undefined) => build(node.body, loop, r);
        let acc: Glushkov = { first: new Set(), last: new Set(), nullable: true };
        for (let k = 0; k < node.min; k++) acc = concat(acc, copy(region));
        if (node.max === Infinity) {
          const star = copy(region ?? regions++);
          for (const l of star.last) for (const f of star.first) l.follow.add(f);
          acc = concat(acc, { ...star, nullable: true });
        } else if (node.max > node.min) {
          // B{0,k} = (B(B(B)?)?)?: copies chained, each may end the repeat.
          let optional: Glushkov | undefined;
          for (let k = node.max - node.min; k > 0; k--) {
            const b = copy(region);
            optional = { ...(optional ? concat(b, optional) : b), nullable: true };
          }
          acc = concat(acc, optional!);
        }
        return acc;
      }
    }
  };
  let g: Glushkov;
  try {
    g = build(root, false, undefined);
  } catch (err) {
    if (err instanceof TooLarge) return false;
    throw err;
  }
  // Rule 2: a loop never has to guess.
  for (const candidates of [g.first, ...positions.map((p) => p.follow)]) {
    // Only pairs with a loop position matter: O(loop positions × candidates), so an alternation
    // of a thousand project names (no loops) costs nothing here.
    const list = [...candidates];
    for (const a of list) {
      if (!a.inLoop) continue;
      for (const b of list) if (b !== a && overlaps(a.chars, b.chars)) return false;
    }
  }
  // Rule 3: count the ways to reach each position, with every unbounded loop collapsed into one
  // node (it is deterministic, so one way in gives one run through it). Other positions are on
  // no cycle, so these counts bound how often backtracking can visit them.
  const { positionVisits, loopEntries } = countPaths(g.first, positions);
  if (anchoredAtStart(root)) return loopEntries <= MAX_LOOP_ENTRIES && positionVisits <= MAX_POSITION_VISITS;
  // Rule 4: unanchored, V8 starts over at every position of the input.
  return regions === 0 && positionVisits <= MAX_UNANCHORED_VISITS;
}

/** Paths from the start to every node of the graph whose unbounded loops are collapsed. */
function countPaths(first: Set<Position>, positions: readonly Position[]): { positionVisits: number; loopEntries: number } {
  const keyOf = (p: Position): Position | number => (p.region !== undefined ? p.region : p);
  const successors = new Map<Position | number, Set<Position | number>>();
  for (const p of positions) {
    const k = keyOf(p);
    let set = successors.get(k);
    if (!set) successors.set(k, (set = new Set()));
    for (const f of p.follow) if (keyOf(f) !== k) set.add(keyOf(f));
  }
  const START = -1;
  successors.set(START, new Set([...first].map(keyOf)));
  // Topological order (the collapsed graph has no cycles) by depth-first post-order.
  const order: Array<Position | number> = [];
  const seen = new Set<Position | number>();
  const stack: Array<[Position | number, Iterator<Position | number>]> = [[START, successors.get(START)!.values()]];
  seen.add(START);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const next = top[1].next();
    if (next.done) {
      order.push(top[0]);
      stack.pop();
    } else if (!seen.has(next.value)) {
      seen.add(next.value);
      stack.push([next.value, (successors.get(next.value) ?? new Set()).values()]);
    }
  }
  const paths = new Map<Position | number, number>([[START, 1]]);
  let positionVisits = 0;
  let loopEntries = 0;
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    const n = paths.get(node) ?? 0;
    if (node !== START) {
      if (typeof node === "number") loopEntries += n;
      else positionVisits += n;
    }
    for (const s of successors.get(node) ?? []) paths.set(s, Math.min(1e12, (paths.get(s) ?? 0) + n));
  }
  return { positionVisits, loopEntries };
}

function canBeEmpty(node: Node): boolean {
  switch (node.t) {
    case "set":
      return false;
    case "assert":
      return true;
    case "seq":
      return node.items.every(canBeEmpty);
    case "alt":
      return node.items.some(canBeEmpty);
    case "rep":
      return node.min === 0 || canBeEmpty(node.body);
  }
}

function concat(a: Glushkov, b: Glushkov): Glushkov {
  for (const l of a.last) for (const f of b.first) l.follow.add(f);
  return {
    first: a.nullable ? union([a.first, b.first]) : a.first,
    last: b.nullable ? union([a.last, b.last]) : b.last,
    nullable: a.nullable && b.nullable,
  };
}

function union(sets: Array<Set<Position>>): Set<Position> {
  const out = new Set<Position>();
  for (const s of sets) for (const p of s) out.add(p);
  return out;
}

/** The characters a set may match, over-approximated under case folding. */
function analysisSet(node: { ranges: Range[]; negated: boolean }, ignoreCase: boolean): Range[] {
  const base = node.negated ? complement(node.ranges) : node.ranges;
  if (!ignoreCase) return base;
  const extra: Range[] = [];
  for (const [lo, hi] of base) {
    for (let c = Math.max(lo, 0x41); c <= Math.min(hi, 0x7a); c++) {
      if (c <= 0x5a) extra.push([c + 0x20, c + 0x20]);
      else if (c >= 0x61) extra.push([c - 0x20, c - 0x20]);
    }
    // Non-ASCII folding (and ſ/K folding to s/k) is not modelled: assume it may reach anything non-ASCII.
    if (hi >= 0x80 || (lo <= 0x7a && hi >= 0x41)) extra.push([0x80, MAX_CODE_POINT]);
  }
  return normalize([...base, ...extra]);
}

function overlaps(a: Range[], b: Range[]): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [alo, ahi] = a[i]!;
    const [blo, bhi] = b[j]!;
    if (ahi < blo) i++;
    else if (bhi < alo) j++;
    else return true;
  }
  return false;
}

/** Every top-level alternative starts with `^` (V8 then tries only position 0). */
function anchoredAtStart(node: Node): boolean {
  if (node.t === "assert") return node.kind === "^";
  if (node.t === "seq") return node.items.length > 0 && anchoredAtStart(node.items[0]!);
  if (node.t === "alt") return node.items.every(anchoredAtStart);
  return false;
}

// ------------------------------------------------------------------------------ emitting

/** The tree as a JavaScript pattern for the `u` flag, meaning what RE2 means. */
function emit(node: Node): string {
  switch (node.t) {
    case "set":
      if (!node.negated && node.ranges.length === 1 && node.ranges[0]![0] === node.ranges[0]![1]) return literal(node.ranges[0]![0]);
      return `[${node.negated ? "^" : ""}${node.ranges.map(([lo, hi]) => (lo === hi ? cp(lo) : `${cp(lo)}-${cp(hi)}`)).join("")}]`;
    case "assert":
      return node.kind;
    case "seq":
      return node.items.map(emit).join("");
    case "alt":
      return `(?:${node.items.map(emit).join("|")})`;
    case "rep": {
      const count = node.max === Infinity ? `{${node.min},}` : `{${node.min},${node.max}}`;
      return `(?:${emit(node.body)})${count}${node.lazy ? "?" : ""}`;
    }
  }
}

function literal(code: number): string {
  return /^[A-Za-z0-9_]$/.test(String.fromCodePoint(code)) ? String.fromCodePoint(code) : cp(code);
}

function cp(code: number): string {
  return `\\u{${code.toString(16)}}`;
}
