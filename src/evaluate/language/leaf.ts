// Value operators test the value of their subject (the field at `path`, a `config` value, or the
// value being looked at). Every such test reads the subject here, once per resource on the fast
// path and again only to explain a failure: the one place a value enters a test.
import { display } from "./messages.js";
import type { Condition, Frame, Subject } from "./types.js";

/** The evidence of every failure `leaf` explains. */
export const LEAF_EVIDENCE: readonly string[] = ["path", "actual", "expected"];

/** A condition that holds when `test(actual)`; its failure reason is `why(actual)`, its evidence path, actual and expected. */
export function leaf(
  subject: Subject,
  describe: string,
  test: (actual: unknown, f: Frame) => boolean,
  why: (actual: unknown, f: Frame) => string,
  expected?: (f: Frame) => unknown,
): Condition {
  return {
    describe,
    holds: (v, f) => test(subject.get(v, f), f),
    explain: (v, f) => {
      const actual = subject.get(v, f);
      const evidence: Record<string, unknown> = { path: subject.label, actual: actual === undefined ? null : actual };
      if (expected) evidence.expected = expected(f);
      return [{ reason: why(actual, f), evidence }];
    },
  };
}

/** "GroupName is \"x\"" or "GroupName is missing". */
export function is(subject: Subject, actual: unknown): string {
  return actual === undefined ? `${subject.label} is missing` : `${subject.label} is ${display(actual)}`;
}
