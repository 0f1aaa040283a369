// Conventions of the two languages: the message catalogue has every key in both with the same
// placeholders, every rule carries a complete zh-CN block, and a translation that fills other
// placeholders than its English is refused when the rule is loaded.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EN } from "../../src/i18n/en.js";
import { ZH_CN } from "../../src/i18n/zh-CN.js";
import { placeholdersOf, t } from "../../src/i18n/index.js";
import { loadRuleFile, loadRuleSet } from "../../src/rules/load.js";
import { conditionMessages, untranslated } from "../../src/rules/localize.js";
import { RuleError } from "../../src/errors.js";
import { runCli, tempDir } from "../helpers.js";
import { readFileSync } from "node:fs";
import { ROOT } from "../helpers.js";

const CJK = /[\u4e00-\u9fff]/;

describe("the message catalogue", () => {
  it("has every English key in Chinese, and no other", () => {
    expect(Object.keys(ZH_CN).sort()).toEqual(Object.keys(EN).sort());
  });

  it.each(Object.keys(EN) as Array<keyof typeof EN>)("%s fills the same placeholders in both languages", (key) => {
    expect(placeholdersOf(ZH_CN[key])).toEqual(placeholdersOf(EN[key]));
  });

  it("renders plurals and nested texts", () => {
    expect(t("en", "engine.count.failed", { what: "Tags", n: 1, bound: ">= 2" })).toBe("Tags has 1 item, expected >= 2");
    expect(t("en", "engine.count.failed", { what: "Tags", n: 3, bound: ">= 4" })).toBe("Tags has 3 items, expected >= 4");
    expect(t("zh-CN", "engine.count.failed", { what: "Tags", n: 3, bound: ">= 4" })).toBe("Tags 有 3 项，应 >= 4");
    expect(t("zh-CN", "engine.labelled", { label: "variant A", reason: (lang) => t(lang, "engine.isMissing", { label: "ModelName" }) })).toBe(
      "variant A：缺少 ModelName",
    );
    expect(() => t("en", "engine.is", { label: "x" })).toThrow(/\{value\} missing/);
  });
});

describe("every rule speaks both languages", () => {
  const set = loadRuleSet(undefined, { tests: false });

  it.each(set.rules.map((r) => [r.def.id, r] as const))("%s has a complete zh-CN block in Chinese", (_id, rule) => {
    expect(untranslated(rule.def)).toEqual([]);
    const zh = rule.def["zh-CN"]!;
    for (const text of [zh.title, zh.violationTitle, zh.rationale, zh.remediation?.text]) expect(text).toMatch(CJK);
  });

  it("translates every message of the shared definitions", () => {
    const english = [...set.definitions].flatMap(([name, c]) => conditionMessages(c, [name]).map((m) => m.message));
    for (const message of english) expect(set.definitionTranslations?.get(message), message).toMatch(CJK);
  });
});

describe("a rule's zh-CN block is checked when the rule is loaded", () => {
  const source = readFileSync(join(ROOT, "rules/security-groups/SG003.yaml"), "utf8");

  function write(text: string): string {
    const file = join(tempDir(), "SG003.yaml");
    writeFileSync(file, text);
    return file;
  }

  it("refuses a Chinese message that lacks a placeholder of the English, naming the file and line", () => {
    const file = write(source.replace("  message: 入站 {permission}（", "  message: 入站（"));
    expect(() => loadRuleFile(file)).toThrow(RuleError);
    const r = runCli(["validate", file]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/SG003\.yaml:\d+.*lacks \{permission\}/);
  });

  it("refuses a condition translation whose English is no longer a message of the rule", () => {
    const text = readFileSync(join(ROOT, "rules/workloads/WL003.yaml"), "utf8").replace(
      "the model has no VpcConfig, so its endpoints run outside the workload VPC:",
      "the model has no VpcConfig:",
    );
    const file = join(tempDir(), "WL003.yaml");
    writeFileSync(file, text);
    expect(() => loadRuleFile(file)).toThrow(/is not the message of any condition/);
  });

  it("refuses an unknown field in the block (the rule schema)", () => {
    const file = write(source + "  rationel: 拼错的字段\n");
    expect(() => loadRuleFile(file)).toThrow(RuleError);
  });
});
