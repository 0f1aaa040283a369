// regex: the value is a string matching an RE2-syntax pattern, run in time linear in the input.
// Placeholders are escaped config values ({tagPrefix}) or derived patterns ({team}).
import { compileRegex, type CompiledRegex } from "../../regex.js";
import { PlaceholderError } from "../../placeholders.js";
import { is, leaf, LEAF_EVIDENCE } from "../leaf.js";
import { display } from "../messages.js";
import type { ValueOperator } from "../operator.js";

type RegexArg = string | { pattern: string; flags?: "" | "i" };

export const regex: ValueOperator<RegexArg> = {
  key: "regex",
  subject: true,
  schema: {
    anyOf: [
      { type: "string" },
      { type: "object", additionalProperties: false, required: ["pattern"], properties: { pattern: { type: "string" }, flags: { enum: ["", "i"] } } },
    ],
    description: "Placeholders are escaped config values ({tagPrefix}) or derived patterns ({team}, {teamProject}, {projectPrefix}).",
  },
  doc: {
    signature: 'path/config + regex: "…" or {pattern, flags: i}',
    meaning:
      "the value is a string matching the pattern (RE2 syntax: no lookaround, no backreferences; see [Values and placeholders](#values-and-placeholders))",
    example: '{ path: repositoryName, regex: "^{tagPrefix}-{teamProject}$" }',
  },
  evidence: () => LEAF_EVIDENCE,
  compile(arg, s, ctx) {
    const pattern = typeof arg === "string" ? arg : arg.pattern;
    const flags = typeof arg === "string" ? "" : (arg.flags ?? "");
    let expanded: string;
    try {
      expanded = ctx.placeholders.regex(pattern);
    } catch (err) {
      if (err instanceof PlaceholderError) ctx.fail(err.message);
      throw err;
    }
    let matcher: CompiledRegex;
    try {
      matcher = compileRegex(expanded, flags);
    } catch (err) {
      ctx.fail(`invalid regex /${pattern}/: ${(err as Error).message}`);
    }
    return leaf(
      s,
      `${s.label} matches /${pattern}/`,
      (a) => typeof a === "string" && matcher.test(a),
      (a) => (typeof a === "string" ? `${s.label} ${display(a)} does not match /${pattern}/` : `${is(s, a)}, expected text matching /${pattern}/`),
    );
  },
};
