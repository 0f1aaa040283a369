// startsWith: the value is a string that starts with the text (or with one of the texts of a
// list). Placeholders are replaced as text, never as patterns: "{tagPrefix}-" with a tag prefix
// of acme.ml matches acme.ml-x and nothing else, without a regex and its escaping.
import { asText } from "../../../io/text.js";
import { is, leaf, LEAF_EVIDENCE } from "../leaf.js";
import { display, displayList } from "../messages.js";
import type { ValueOperator } from "../operator.js";
import type { Frame } from "../types.js";

export const startsWith: ValueOperator<string | string[]> = {
  key: "startsWith",
  subject: true,
  schema: {
    anyOf: [{ type: "string" }, { type: "array", items: { type: "string" }, minItems: 1 }],
    description: "A prefix, or a list of prefixes; placeholders ({tagPrefix}, {projects}, {accountId}) are replaced as text.",
  },
  doc: {
    signature: 'path/config + startsWith: "text" or [texts…]',
    meaning:
      "the value is a string starting with the text (with one of the texts); placeholders are replaced as text, a list placeholder gives one text per item",
    example: '{ path: GroupName, startsWith: "{tagPrefix}-" }',
  },
  evidence: () => LEAF_EVIDENCE,
  compile(arg, s, ctx) {
    const written = ctx.value(arg);
    const prefixesAt = (f: Frame): string[] => ([] as unknown[]).concat(written.get(f)).map(asText);
    // Known at load unless the text names {accountId} or {region}.
    const constant = /\{(accountId|region)\}/.test(JSON.stringify(arg)) ? undefined : prefixesAt({} as Frame);
    const prefixes = constant ? () => constant : prefixesAt;
    const shown = (list: readonly string[]) => (list.length === 1 ? display(list[0]) : `one of ${displayList(list)}`);
    return leaf(
      s,
      `${s.label} starts with ${written.text}`,
      (a, f) => typeof a === "string" && prefixes(f).some((p) => a.startsWith(p)),
      (a, f) =>
        typeof a === "string"
          ? `${s.label} ${display(a)} does not start with ${shown(prefixes(f))}`
          : `${is(s, a)}, expected text starting with ${shown(prefixes(f))}`,
      (f) => {
        const list = prefixes(f);
        return list.length === 1 ? list[0] : list;
      },
    );
  },
};
