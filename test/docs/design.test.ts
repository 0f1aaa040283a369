// docs/design.md, the English summary of the design: every section a rule or message cites has
// an anchor, every rule is linked from its own section, every link leads to a rule page. And
// every rule of the catalogue renders its quote in English.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadRuleSet } from "../../src/rules/load.js";
import { designAnchor } from "../../src/rules/links.js";
import { ROOT } from "../helpers.js";

const DESIGN = readFileSync(join(ROOT, "docs/design.md"), "utf8");
const set = loadRuleSet();
const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

/** The text of a section: from its anchor to the next anchor of the same or a higher level. */
function section(id: string): string {
  const start = DESIGN.indexOf(`<a id="${designAnchor(id)}"></a>`);
  const depth = id.split(".").length;
  const rest = DESIGN.slice(start + 1);
  const next = [...rest.matchAll(/<a id="s([\d-]+)"><\/a>/g)].find((m) => m[1]!.split("-").length <= depth);
  return next ? rest.slice(0, next.index) : rest;
}

describe("docs/design.md", () => {
  it("has an anchor for every section that a rule cites (design section, message, rationale, fix)", () => {
    const cited = new Set<string>();
    for (const r of set.rules) {
      cited.add(r.def.design.section);
      const texts = [r.def.message ?? "", r.def.rationale, r.def.remediation.text];
      for (const t of texts) for (const m of t.matchAll(/§(\d+(?:\.\d+)*)/g)) cited.add(m[1]!);
    }
    expect(cited.size).toBeGreaterThan(15);
    for (const s of cited) expect(DESIGN, `§${s}`).toContain(`<a id="${designAnchor(s)}"></a>`);
  });

  it("links every rule from the section it encodes", () => {
    for (const r of set.rules) expect(section(r.def.design.section), `${r.def.id} in §${r.def.design.section}`).toContain(`(rules/${r.def.id}.md)`);
  });

  it("links only rule pages that exist, and writes no Chinese", () => {
    const links = [...DESIGN.matchAll(/\]\((rules\/[^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(50);
    for (const l of links) expect(existsSync(join(ROOT, "docs", l)), l).toBe(true);
    // The title of the original is quoted once; everything else is English.
    expect(DESIGN.split("\n").filter((l) => CJK.test(l))).toHaveLength(1);
  });
});

describe("rule catalogue: the design in English", () => {
  it("every rule has an English rendering of its quote, without Chinese in it", () => {
    for (const r of set.rules) {
      const english = r.def.design.english;
      expect(english, `${r.def.id} has no design.english`).toBeTruthy();
      expect(CJK.test(english!), `${r.def.id}: ${english}`).toBe(false);
      // A quote with Chinese in it gets a rendering that differs from it.
      if (CJK.test(r.def.design.quote)) expect(english).not.toBe(r.def.design.quote);
    }
  });

  it("rule pages print both, and link the section to docs/design.md", () => {
    for (const r of set.rules) {
      const page = readFileSync(join(ROOT, "docs/rules", `${r.def.id}.md`), "utf8");
      expect(page).toContain(`> ${r.def.design.quote.trim()}`);
      if (CJK.test(r.def.design.quote)) expect(page).toContain(`> *In English:* ${r.def.design.english!.trim()}`);
      expect(page).toContain(`[§${r.def.design.section}](../../docs/design.md#${designAnchor(r.def.design.section)})`);
    }
  });
});
