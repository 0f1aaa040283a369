// Wrapped shell commands mean what the command means: for generated commands (quoted JSON,
// shorthand, escapes, long words), bash receives the same arguments from the wrapped lines as
// from the one-line command, and no line is wider than asked when a line can hold a piece.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shellWords, wrapCommand, wrapText } from "../../src/report/wrap.js";
import { awsArgumentsOf } from "../helpers.js";

const plain = fc.stringMatching(/^[A-Za-z0-9_.,:/=@+%-]{1,30}$/);
// eslint-disable-next-line no-control-regex -- control characters are left out of the generated words
const singleQuoted = fc.string({ maxLength: 120 }).map((s) => `'${s.replace(/'/g, "").replace(/[\u0000-\u001f]/g, "")}'`);
const doubleQuoted = fc.stringMatching(/^[A-Za-z0-9 {}[\]:,'=-]{0,80}$/).map((s) => `"${s}"`);
const json = fc.jsonValue({ maxDepth: 3 }).map((v) => `'${JSON.stringify(v).replace(/'/g, "'\\''")}'`);
const escaped = fc.stringMatching(/^[a-z]{1,5}$/).map((s) => `${s}\\ ${s}\\'`);
const word = fc.oneof(
  plain,
  singleQuoted,
  doubleQuoted,
  json,
  escaped,
  fc.tuple(plain, singleQuoted).map(([a, b]) => a + b),
);
const command = fc.array(word, { minLength: 1, maxLength: 8 }).map((words) => ["aws", "ecr", ...words].join(" "));

describe("wrapCommand", () => {
  it("keeps the arguments bash receives, at any width", () => {
    fc.assert(
      fc.property(command, fc.integer({ min: 20, max: 120 }), fc.integer({ min: 0, max: 6 }), (cmd, width, indent) => {
        const lines = wrapCommand(cmd, width, indent);
        expect(awsArgumentsOf(lines.join("\n"))).toEqual(awsArgumentsOf(cmd));
        for (const l of lines) expect(l.length).toBeLessThanOrEqual(Math.max(width, 8 + 2));
      }),
      { numRuns: 120 },
    );
  });

  it("splits words at unquoted blanks only", () => {
    expect(shellWords(`aws x --a 'b c' "d e" f\\ g`)).toEqual(["aws", "x", "--a", "'b c'", '"d e"', "f\\ g"]);
  });
});

describe("wrapText", () => {
  it("never exceeds the width and loses no character", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: 1, max: 100 }), (text, width) => {
        const clean = text.replace(/\s+/g, " ").trim();
        const lines = wrapText(clean, width);
        for (const l of lines) expect(l.length).toBeLessThanOrEqual(width);
        expect(lines.join("").replace(/ /g, "")).toBe(clean.replace(/ /g, ""));
      }),
    );
  });
});
