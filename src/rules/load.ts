// Loads the rule catalogue: one YAML file per rule (`rules/<area>/<ID>.yaml`), its test cases
// next to it (`<ID>.test.yaml` or a `tests:` block), and shared conditions in
// `rules/definitions.yaml`. Conventions are enforced here so nothing is silently skipped.
import { readdirSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { RuleError, type Place } from "../errors.js";
import { readTextFile } from "../io/files.js";
import { assertSchema } from "../io/schema.js";
import { parseYaml, type LocatedDocument } from "../io/yaml.js";
import { checkConditionTranslations, conditionMessages, conditionTranslations, translationProblems, ZH, type DefinitionsTranslation } from "./localize.js";
import type { LoadedRule, RuleDefinition, RuleTestCase, RuleTestFile } from "./types.js";

export const DEFAULT_RULES_DIR = fileURLToPath(new URL("../../rules/", import.meta.url));
export const DEFINITIONS_FILE = "definitions.yaml";

const makeError = (message: string, file: string, place?: Place) => new RuleError(message, file, place);

export interface RuleSet {
  dir: string;
  rules: LoadedRule[];
  definitions: Map<string, unknown>;
  definitionsFile?: string;
  definitionsLocate?: (path: ReadonlyArray<string | number>) => Place;
  /** The Chinese of the definitions' condition messages, by English template. */
  definitionTranslations?: Map<string, string>;
}

export interface LoadOptions {
  /** Also read `<ID>.test.yaml` files (rules test, validate); evaluation does not need them. */
  tests?: boolean;
}

/** Reads and validates every rule, test and definitions file under `dir`. */
export function loadRuleSet(dir: string = DEFAULT_RULES_DIR, options: LoadOptions = {}): RuleSet {
  const withTests = options.tests ?? true;
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    throw new RuleError("rules directory not found", dir);
  }
  if (!stat.isDirectory()) throw new RuleError("not a directory", dir);
  const files = listYaml(dir);
  const set: RuleSet = { dir, rules: [], definitions: new Map() };

  const definitionsPath = join(dir, DEFINITIONS_FILE);
  if (files.includes(definitionsPath)) loadDefinitions(definitionsPath, set);

  const testFiles = new Map<string, string>();
  const byId = new Map<string, LoadedRule>();
  const byName = new Map<string, LoadedRule>();
  for (const file of files) {
    if (file === definitionsPath) continue;
    const name = basename(file);
    if (name.endsWith(".test.yaml")) {
      testFiles.set(name.slice(0, -".test.yaml".length), file);
      continue;
    }
    const rule = loadRuleFile(file);
    const other = byId.get(rule.def.id);
    if (other) throw new RuleError(`rule id ${rule.def.id} is also used by ${other.file}`, file, { ...rule.locate(["id"]), pointer: "/id" });
    const sameName = byName.get(rule.def.name);
    if (sameName) throw new RuleError(`rule name ${rule.def.name} is also used by ${sameName.file}`, file, { ...rule.locate(["name"]), pointer: "/name" });
    byId.set(rule.def.id, rule);
    byName.set(rule.def.name, rule);
    set.rules.push(rule);
  }
  for (const [id, file] of withTests ? testFiles : []) {
    const rule = byId.get(id);
    if (!rule) throw new RuleError(`test file for rule ${id}, but no rule has that id`, file);
    attachTests(rule, file);
  }
  set.rules.sort((a, b) => (a.def.id < b.def.id ? -1 : a.def.id > b.def.id ? 1 : 0));
  return set;
}

export function listYaml(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && (entry.name.endsWith(".yaml") || entry.name.endsWith(".yml"))) {
        if (entry.name.endsWith(".yml")) throw new RuleError('rule files use the ".yaml" extension', full);
        out.push(full);
      }
    }
  };
  walk(dir);
  return out;
}

function readYaml(file: string): LocatedDocument {
  return parseYaml(readTextFile(file, makeError), file, makeError);
}

function loadDefinitions(file: string, set: RuleSet): void {
  const doc = readYaml(file);
  assertSchema("definitions", doc.value, file, makeError, doc.locate);
  const value = doc.value as { definitions: Record<string, unknown>; "zh-CN"?: DefinitionsTranslation };
  const defs = value.definitions;
  for (const [name, condition] of Object.entries(defs)) set.definitions.set(name, condition);
  set.definitionsFile = file;
  set.definitionsLocate = (path) => doc.locate(path[0] === "definitions" || path[0] === ZH ? path : ["definitions", ...path]);
  const translation = value[ZH];
  if (translation !== undefined) {
    const english = Object.entries(defs).flatMap(([name, condition]) => conditionMessages(condition, ["definitions", name]));
    const problem = checkConditionTranslations(translation.conditionMessages, english, [ZH, "conditionMessages"], "the definitions")[0];
    if (problem) throw new RuleError(problem.message, file, { ...doc.locate(problem.path), pointer: pointer(problem.path) });
    set.definitionTranslations = conditionTranslations(translation);
  }
}

/** Loads one rule file; its id must match its file name. */
export function loadRuleFile(file: string): LoadedRule {
  const doc = readYaml(file);
  assertSchema("rule", doc.value, file, makeError, doc.locate);
  const def = doc.value as RuleDefinition & { tests?: RuleTestCase[] };
  const expected = basename(file, ".yaml");
  if (def.id !== expected)
    throw new RuleError(`rule id ${def.id} does not match its file name ${expected}.yaml`, file, { ...doc.locate(["id"]), pointer: "/id" });
  const { tests, ...rest } = def;
  const rule: LoadedRule = { def: withDefaults(rest), file, locate: (p) => doc.locate(p), tests: tests ?? [] };
  const problem = translationProblems(rule.def)[0];
  if (problem) throw new RuleError(problem.message, file, { ...doc.locate(problem.path), pointer: pointer(problem.path) });
  if (tests) rule.testLocate = (p) => doc.locate(["tests", ...p]);
  return rule;
}

/**
 * Fields a rule file may leave out: a rule without `kind` is a security rule (the safe reading);
 * one without `violationTitle` names its failures by its title.
 */
function withDefaults(def: Omit<RuleDefinition, "kind" | "violationTitle"> & Partial<Pick<RuleDefinition, "kind" | "violationTitle">>): RuleDefinition {
  return { ...def, violationTitle: def.violationTitle ?? def.title, kind: def.kind ?? "security" };
}

function attachTests(rule: LoadedRule, file: string): void {
  if (rule.tests.length > 0) throw new RuleError(`rule ${rule.def.id} has both a tests: block and ${basename(file)}`, file);
  const doc = readYaml(file);
  assertSchema("ruleTests", doc.value, file, makeError, doc.locate);
  const tests = doc.value as RuleTestFile;
  rule.tests = tests.cases;
  rule.testFile = file;
  rule.testLocate = (p) => doc.locate(["cases", ...p]);
  if (tests.config) rule.testConfig = tests.config;
}

/** A JSON pointer to a place in a file (keys with "/" or "~" escaped). */
function pointer(path: ReadonlyArray<string | number>): string {
  return "/" + path.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

/** A run with no rules checks nothing: that is bad input (exit 2), never a clean run. */
export function requireRules(set: RuleSet): RuleSet {
  if (set.rules.length === 0) throw new RuleError("no rules found (rule files are <area>/<ID>.yaml); a run without rules would check nothing", set.dir);
  return set;
}

/** A path relative to the working directory, for messages. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith("..") ? file : rel;
}
