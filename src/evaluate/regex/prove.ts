// Proves that V8's backtracking runs a pattern in linear time (see ../regex.ts for why).
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
import { complement, MAX_CODE_POINT, normalize, type Range, type RegexNode } from "./parse.js";

/** Most positions (character class occurrences after expanding bounded repeats) analysed. */
const MAX_POSITIONS = 200_000;
/** Most ways into unbounded loops (each way in costs up to one pass over the input). */
const MAX_LOOP_ENTRIES = 64;
/** Most visits of positions outside unbounded loops over all paths (each costs a step). */
const MAX_POSITION_VISITS = 1_000_000;
/** The same for an unanchored pattern, which V8 tries at every start position. */
const MAX_UNANCHORED_VISITS = 256;

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

export function provenLinear(root: RegexNode, ignoreCase: boolean): boolean {
  const positions: Position[] = [];
  let regions = 0;
  const build = (node: RegexNode, inLoop: boolean, region: number | undefined): Glushkov => {
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

function canBeEmpty(node: RegexNode): boolean {
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
function anchoredAtStart(node: RegexNode): boolean {
  if (node.t === "assert") return node.kind === "^";
  if (node.t === "seq") return node.items.length > 0 && anchoredAtStart(node.items[0]!);
  if (node.t === "alt") return node.items.every(anchoredAtStart);
  return false;
}
