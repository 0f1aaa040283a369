// `sagegate validate <file>`: checks a snapshot, config, rules directory, rule, rule tests or
// definitions file without evaluating anything. Exit 0 when valid, 2 with file:line otherwise.
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { loadConfig, withDefaults } from "../config/config.js";
import { UsageError } from "../errors.js";
import { Placeholders } from "../evaluate/placeholders.js";
import { compileRuleSet } from "../evaluate/rule.js";
import { readTextFile } from "../io/files.js";
import { assertSchema, type SchemaName } from "../io/schema.js";
import { parseYaml } from "../io/yaml.js";
import { DEFINITIONS_FILE, loadRuleFile, loadRuleSet, requireRules } from "../rules/load.js";
import { TEST_CONFIG } from "../rules/testing.js";
import { readSnapshotFile, validateAllResources } from "../snapshot/read.js";
import { RuleError, SnapshotError, ConfigError, type Place } from "../errors.js";

export const KINDS = ["snapshot", "config", "rules", "rule", "rule-tests", "definitions"] as const;
export type Kind = (typeof KINDS)[number];

export function validateFile(file: string, kind?: Kind): string {
  const k = kind ?? detectKind(file);
  switch (k) {
    case "snapshot": {
      const s = readSnapshotFile(file);
      const { resources } = validateAllResources(s);
      const errors = s.regions.reduce((n, r) => n + r.errors.length, 0);
      const accounts = new Set(s.regions.map((r) => r.accountId)).size;
      return `${file}: valid snapshot (${accounts} accounts, ${s.regions.length} regions, ${resources} resources, ${errors} collection errors)`;
    }
    case "config": {
      const c = loadConfig(file);
      return `${file}: valid configuration (tagPrefix ${c.tagPrefix}, company ${c.company}, profile ${c.profile})`;
    }
    case "rules": {
      const set = requireRules(loadRuleSet(file));
      compileRuleSet(set, testPlaceholders());
      return `${file}: ${set.rules.length} valid rules`;
    }
    case "rule": {
      const rule = loadRuleFile(file);
      const set = loadRuleSet(nearestRulesDir(file));
      compileRuleSet({ ...set, rules: [rule] }, testPlaceholders());
      return `${file}: valid rule ${rule.def.id}`;
    }
    case "rule-tests":
    case "definitions":
      return validateYamlAgainst(file, k === "rule-tests" ? "ruleTests" : "definitions");
  }
}

/** Rules compile against the test organisation: validation must not depend on a user's config. */
function testPlaceholders(): Placeholders {
  return new Placeholders(withDefaults({ ...TEST_CONFIG, teams: [...TEST_CONFIG.teams], projects: [...TEST_CONFIG.projects] }));
}

/** The rules directory a rule file belongs to: the nearest ancestor with definitions.yaml, else the catalogue. */
function nearestRulesDir(file: string): string | undefined {
  let dir = dirname(resolve(file));
  for (;;) {
    if (existsSync(join(dir, DEFINITIONS_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function validateYamlAgainst(file: string, schema: SchemaName): string {
  const makeError = (m: string, f: string, p?: Place) => new RuleError(m, f, p);
  const doc = parseYaml(readTextFile(file, makeError), file, makeError);
  assertSchema(schema, doc.value, file, makeError, doc.locate);
  return `${file}: valid ${schema === "ruleTests" ? "rule tests" : "definitions"}`;
}

function detectKind(file: string): Kind {
  let isDir: boolean;
  try {
    isDir = statSync(file).isDirectory();
  } catch {
    throw new UsageError(`${file}: file not found`);
  }
  if (isDir) return "rules";
  const name = basename(file);
  if (name.endsWith(".json")) return "snapshot";
  if (name.endsWith(".test.yaml")) return "rule-tests";
  if (name === "definitions.yaml") return "definitions";
  if (name.endsWith(".yaml") || name.endsWith(".yml")) {
    const text = readTextFile(file, (m, f) => new ConfigError(m, f));
    if (/^id:\s/m.test(text) && /^check:/m.test(text)) return "rule";
    return "config";
  }
  throw new SnapshotError("cannot tell what kind of file this is; pass --kind", file);
}
