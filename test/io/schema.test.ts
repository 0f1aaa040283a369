// How schema problems are worded: the deepest, most specific error, with key choices and empty
// lists said in the rule author's terms.
import { describe, expect, it } from "vitest";
import { schemaProblem } from "../../src/io/schema.js";

const rule = (check: unknown) => ({
  id: "XX001",
  name: "x",
  title: "A rule with a title",
  severity: "low",
  resourceType: "AWS::EC2::SecurityGroup",
  profile: "baseline",
  design: { section: "1", quote: "q" },
  rationale: "a rationale long enough to pass",
  remediation: { text: "fix it somehow", cli: "aws ec2 x" },
  check,
});

function problem(check: unknown): string {
  const p = schemaProblem("rule", rule(check));
  return p ? `/${[...p.path, ...(p.key !== undefined ? [p.key] : [])].join("/")}: ${p.message}` : "valid";
}

const row = { protocol: "all", source: "self" };

describe("schema problems", () => {
  it("exactly one of several keys", () => {
    expect(problem({ permissions: { direction: "ingress" } })).toBe("/check/permissions: needs one of only, include, none");
    expect(problem({ permissions: { direction: "ingress", only: [row], none: [row] } })).toBe(
      "/check/permissions: takes one of only, include, none; found only and none",
    );
  });

  it("at least one of several keys", () => {
    expect(problem({ count: { path: "images[]" } })).toBe("/check/count: needs at least one of equals, lt, lte, gt, gte");
  });

  it("an empty list", () => {
    expect(problem({ all: [] })).toBe("/check/all: must not be empty");
  });

  it("of the alternatives of an anyOf, the one the value's type fits", () => {
    expect(problem({ count: { path: [], equals: 1 } })).toBe("/check/count/path: must not be empty");
    expect(problem({ count: { path: 3, equals: 1 } })).toBe("/check/count/path: must be string, not a number");
  });

  it("a deeper problem before a shallower one", () => {
    expect(problem({ permissions: { direction: "ingress", only: [{ protocol: "tcp", port: 70000, source: "any" }], none: [row] } })).toBe(
      "/check/permissions/only/0/port: must be <= 65535",
    );
  });

  it("an unknown key, with a suggestion", () => {
    expect(problem({ path: "GroupName", equal: "x" })).toBe('/check/equal: unknown key "equal"; did you mean "equals"?');
  });
});
