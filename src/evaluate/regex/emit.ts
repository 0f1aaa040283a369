// Emits a parsed pattern as a JavaScript pattern for V8 (the `u` flag), with RE2's meaning
// spelled out, so both engines give the same answers.
import type { RegexNode } from "./parse.js";

/** The tree as a JavaScript pattern for the `u` flag, meaning what RE2 means. */
export function emit(node: RegexNode): string {
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
