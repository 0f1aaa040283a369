// Every operator of the rule language, listed explicitly (ESLint's rule index, Spectral's core
// functions). The order is the order of the generated schema and of the operator table in
// docs/rule-language.md. Adding an operator: a module in operators/, its line here, its test in
// test/evaluate/operators/, then `npm run docs`.
import type { Operator } from "./operator.js";
import { calendarDate } from "./operators/calendar-date.js";
import { cases } from "./operators/cases.js";
import { gt, gte, lt, lte } from "./operators/comparison.js";
import { count } from "./operators/count.js";
import { equals, inList, notEquals, notIn } from "./operators/equality.js";
import { imageRef } from "./operators/image-ref.js";
import { json } from "./operators/json.js";
import { all, any } from "./operators/logic.js";
import { not } from "./operators/not.js";
import { permissions } from "./operators/permissions.js";
import { policy } from "./operators/policy.js";
import { empty, exists } from "./operators/presence.js";
import { every, none, some } from "./operators/quantifiers.js";
import { ref } from "./operators/ref.js";
import { referencedBy } from "./operators/referenced-by.js";
import { regex } from "./operators/regex.js";
import { related } from "./operators/related.js";
import { startsWith } from "./operators/starts-with.js";
import { use } from "./operators/use.js";

export const OPERATORS: readonly Operator[] = [
  all,
  any,
  not,
  use,
  cases,
  equals,
  notEquals,
  inList,
  notIn,
  regex,
  startsWith,
  exists,
  empty,
  lt,
  lte,
  gt,
  gte,
  calendarDate,
  json,
  imageRef,
  every,
  some,
  none,
  count,
  ref,
  related,
  referencedBy,
  permissions,
  policy,
];

/** The keys that name a value operator's subject. */
export const SUBJECT_KEYS = ["path", "config"] as const;

export const OPERATOR_BY_KEY: ReadonlyMap<string, Operator> = new Map(OPERATORS.map((o) => [o.key, o]));
