// The one place rule patterns become matchers. Rule authors write patterns; resource names,
// tags and ids come from whoever can write to the AWS account. A backtracking engine can take
// exponential (or n², n³…) time on a badly written pattern and a crafted input, so:
//
// - Every pattern must be valid RE2 syntax: no lookaround, no backreferences. Anything else is
//   a load-time error naming the rule (re2js, a pure-JS port of RE2, says what is wrong).
// - A pattern runs on V8's RegExp only when a static check proves backtracking stays linear
//   (regex/prove.ts); every other pattern runs on re2js, whose matching is linear in the input whatever
//   the pattern. V8 is ~10× faster per match, and regexes run on every resource.
// - The V8 path does not run the author's text: it runs a pattern re-emitted from the parsed
//   tree, with RE2's meaning spelled out (`.` is `[^\n]`, `\s` is `[\t\n\f\r ]`, code points
//   with the `u` flag, case folding with `ui`), so both engines give the same answers
//   (a property test compares them on generated patterns and inputs).
//
// regex/parse.ts reads the common subset into a tree, regex/prove.ts decides whether V8 may run
// it, regex/emit.ts writes the tree back as a V8 pattern; this module puts them together.
import { createRequire } from "node:module";
import { emit } from "./regex/emit.js";
import { parseCommonSubset } from "./regex/parse.js";
import { provenLinear } from "./regex/prove.js";

export { parseCommonSubset };

export interface CompiledRegex {
  test(text: string): boolean;
  /** "native": V8's RegExp on a pattern proven linear; "re2": the linear-time re2js engine. */
  readonly engine: "native" | "re2";
}

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
