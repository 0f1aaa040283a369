// Value operators test the value of their subject (the field at `path`, a `config` value, or the
// value being looked at). Every such test reads the subject here, once per resource on the fast
// path and again only to explain a failure: the one place a value enters a test.
import { text, type Text, type Words } from "../../i18n/index.js";
import { display } from "./messages.js";
import { unknownInside, unknownOf } from "./truth.js";
import type { Condition, Frame, Subject } from "./types.js";

/** The evidence of every failure `leaf` explains. */
export const LEAF_EVIDENCE: readonly string[] = ["path", "actual", "expected"];

/**
 * A condition that holds when `test(actual)`; its failure reason is `why(actual)`, its evidence
 * path, actual and expected. Three-valued: a value that is (or holds) `$unresolved` is unknown;
 * with `presenceOnly` (exists, empty) only a value that is itself unresolved is, since a list
 * with unknown items is still a list that is there.
 */
export function leaf(
  subject: Subject,
  describe: Words,
  test: (actual: unknown, f: Frame) => boolean,
  why: (actual: unknown, f: Frame) => Words,
  expected?: (f: Frame) => unknown,
  presenceOnly = false,
): Condition {
  return {
    describe,
    holds: (v, f) => test(subject.get(v, f), f),
    truth: (v, f) => {
      const actual = subject.get(v, f);
      return (presenceOnly ? unknownOf(actual) : unknownInside(actual)) ?? test(actual, f);
    },
    explain: (v, f) => {
      const actual = subject.get(v, f);
      const evidence: Record<string, unknown> = { path: subject.label, actual: actual === undefined ? null : actual };
      if (expected) evidence.expected = expected(f);
      return [{ reason: why(actual, f), evidence }];
    },
  };
}

/** "GroupName is \"x\"" or "GroupName is missing". */
export function is(subject: Subject, actual: unknown): Text {
  return actual === undefined ? text("engine.isMissing", { label: subject.name }) : text("engine.is", { label: subject.name, value: display(actual) });
}
