// `sagegate validate <file>…`: checks snapshots, configurations, waivers files, JSON reports, rules
// directories, rules, rule tests and definitions without evaluating anything. What a file is comes
// from its content (a name alone can lie). Every file is checked, one after the other; each
// problem is one line with file:line (up to 20 per file). Exit 0 when all are valid, 2 otherwise.
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { existsSync } from "node:fs";
import { parseConfig, withDefaults } from "../config/config.js";
import {
  BaselineError,
  ConfigError,
  ExitCode,
  isSagegateError,
  RuleError,
  SnapshotError,
  UsageError,
  WaiverError,
  type Place,
  type SagegateError,
} from "../errors.js";
import { Placeholders } from "../evaluate/placeholders.js";
import { compileRuleSet } from "../evaluate/rule.js";
import { loadBaseline } from "../gate/baseline.js";
import { parseWaivers } from "../gate/waivers.js";
import { readBytes, readTextFile } from "../io/files.js";
import { parseJsonBytes } from "../io/json.js";
import { schemaProblems, toPointer, type SchemaName } from "../io/schema.js";
import { parseYaml } from "../io/yaml.js";
import { DEFINITIONS_FILE, loadRuleFile, loadRuleSet, requireRules } from "../rules/load.js";
import { TEST_CONFIG } from "../rules/testing.js";
import { readSnapshotFile, validateAllResources } from "../snapshot/read.js";
import { plural } from "../report/text.js";

export const KINDS = ["snapshot", "config", "waivers", "report", "rules", "rule", "rule-tests", "definitions"] as const;
export type Kind = (typeof KINDS)[number];

/** At most this many problems are listed per file. */
export const MAX_PROBLEMS = 20;

export interface FileResult {
  file: string;
  /** The line saying what the file is, when it is valid. */
  valid?: string;
  /** One line per problem (file:line: pointer: message). */
  problems: string[];
}

/** Checks every file; a bad file does not stop the others. */
export function validateFiles(files: readonly string[], kind: Kind | undefined, write: { out(line: string): void; err(line: string): void }): number {
  let bad = 0;
  for (const file of files) {
    const result = checkFile(file, kind);
    if (result.valid !== undefined) write.out(result.valid);
    for (const p of result.problems) write.err(`sagegate: ${p}`);
    if (result.problems.length > 0) bad++;
  }
  if (bad > 0 && files.length > 1) write.err(`sagegate: ${bad} of ${files.length} files are not valid`);
  return bad > 0 ? ExitCode.badInput : ExitCode.ok;
}

export function checkFile(file: string, kind?: Kind): FileResult {
  try {
    const k = kind ?? detectKind(file);
    if (k === "snapshot") return checkSnapshot(file);
    const problems = k === "report" ? reportProblems(file) : k === "rules" ? [] : yamlProblems(file, k);
    if (problems.length > 0) return { file, problems };
    return { file, valid: `${file}: ${describeValid(file, k)}`, problems: [] };
  } catch (err) {
    if (!isSagegateError(err)) throw err;
    return { file, problems: [err.format()] };
  }
}

function describeValid(file: string, k: Exclude<Kind, "snapshot">): string {
  switch (k) {
    case "config": {
      const c = parseConfig(readTextFile(file, configError), file);
      return `valid configuration (tagPrefix ${c.tagPrefix}, company ${c.company}, profile ${c.profile})`;
    }
    case "waivers": {
      const waivers = parseWaivers(readTextFile(file, waiverError), file);
      return `valid waivers (${plural(waivers.length, "waiver")})`;
    }
    case "report": {
      const baseline = loadBaseline(file);
      return `valid report (${plural(baseline.findings.size, "failing or waived finding")})`;
    }
    case "rules": {
      const set = requireRules(loadRuleSet(file));
      compileRuleSet(set, testPlaceholders());
      return `${plural(set.rules.length, "valid rule")}`;
    }
    case "rule": {
      const rule = loadRuleFile(file);
      const set = loadRuleSet(nearestRulesDir(file));
      compileRuleSet({ ...set, rules: [rule] }, testPlaceholders());
      return `valid rule ${rule.def.id}`;
    }
    case "rule-tests":
      return "valid rule tests";
    case "definitions":
      return "valid definitions";
  }
}

/**
 * A snapshot's structure is checked first (a problem there stops the check: what follows would
 * be read wrongly); then every resource object, naming up to MAX_PROBLEMS bad ones in file order.
 */
function checkSnapshot(file: string): FileResult {
  const s = readSnapshotFile(file);
  const { resources, problems } = validateAllResources(s, MAX_PROBLEMS);
  if (problems.length > 0) return { file, problems: problems.map((p) => p.format()) };
  const errors = s.regions.reduce((n, r) => n + r.errors.length, 0);
  const accounts = new Set(s.regions.map((r) => r.accountId)).size;
  const valid = `valid snapshot (${plural(accounts, "account")}, ${plural(s.regions.length, "region")}, ${plural(resources, "resource")} in the snapshot, ${plural(errors, "collection error")})`;
  return { file, valid: `${file}: ${valid}`, problems: [] };
}

const configError = (m: string, f: string, p?: Place) => new ConfigError(m, f, p);
const waiverError = (m: string, f: string, p?: Place) => new WaiverError(m, f, p);
const ruleError = (m: string, f: string, p?: Place) => new RuleError(m, f, p);
const baselineError = (m: string, f: string, p?: Place) => new BaselineError(m, f, p);
/** As for --baseline reports. */
const MAX_REPORT_BYTES = 2 * 1024 * 1024 * 1024;

const YAML_SCHEMAS: Record<string, { schema: SchemaName; error: (m: string, f: string, p?: Place) => SagegateError }> = {
  config: { schema: "config", error: configError },
  waivers: { schema: "waivers", error: waiverError },
  rule: { schema: "rule", error: ruleError },
  "rule-tests": { schema: "ruleTests", error: ruleError },
  definitions: { schema: "definitions", error: ruleError },
};

/** Every schema problem of a YAML file, each with its line (parse errors stop at the first). */
function yamlProblems(file: string, kind: Kind): string[] {
  const { schema, error } = YAML_SCHEMAS[kind]!;
  const doc = parseYaml(readTextFile(file, error), file, error);
  if (doc.value === null || doc.value === undefined) return kind === "waivers" ? [] : [error("the file is empty", file).format()];
  const located = schemaProblems(schema, doc.value, MAX_PROBLEMS).map((p) => {
    const path = p.key !== undefined ? [...p.path, p.key] : p.path;
    const place = { ...doc.locate(path, p.key !== undefined), pointer: toPointer(path) };
    return { place, line: error(p.message, file, place).format() };
  });
  // In the order of the file, as an editor shows them.
  const at = (x: (typeof located)[number]) => (x.place.line ?? 0) * 1e6 + (x.place.column ?? 0);
  return located.sort((a, b) => at(a) - at(b)).map((x) => x.line);
}

/** Every schema problem of a JSON report (a report can be gigabytes: read as bytes, never as one string). */
function reportProblems(file: string): string[] {
  const doc = parseJsonBytes(readBytes(file, baselineError, MAX_REPORT_BYTES), file, baselineError);
  return schemaProblems("report", doc, MAX_PROBLEMS).map((p) => {
    const path = p.key !== undefined ? [...p.path, p.key] : p.path;
    return baselineError(p.message, file, { pointer: toPointer(path) }).format();
  });
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

/** Reads the first bytes of a file (snapshots can be gigabytes; the kind shows in the head). */
function head(file: string, bytes = 65536): string {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const n = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, n).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** What a file is, from its content: a JSON report or snapshot, a rule, waivers, rule tests, definitions or a configuration. */
export function detectKind(file: string): Kind {
  let isDir: boolean;
  try {
    isDir = statSync(file).isDirectory();
  } catch {
    throw new UsageError(`${file}: file not found`);
  }
  if (isDir) return "rules";
  const text = head(file);
  const start = text.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("{") || start.startsWith("[")) {
    if (/"reportVersion"\s*:/.test(text) || /"\$schema"\s*:\s*"[^"]*report\.schema\.json"/.test(text)) return "report";
    if (/"snapshotVersion"\s*:/.test(text) || /"accounts"\s*:/.test(text)) return "snapshot";
    if (/"results"\s*:/.test(text)) return "report";
    if (/"runs"\s*:/.test(text))
      throw new SnapshotError("this looks like a SARIF log, which validate does not check (the tests use the SARIF Multitool)", file);
    throw new SnapshotError("a JSON file that is neither a snapshot nor a report; pass --kind", file);
  }
  const name = basename(file);
  if (name === DEFINITIONS_FILE || /^definitions\s*:/m.test(text)) return "definitions";
  if (name.endsWith(".test.yaml") || /^cases\s*:/m.test(text)) return "rule-tests";
  if (/^id\s*:/m.test(text) && /^check\s*:/m.test(text)) return "rule";
  if (/^waivers\s*:/m.test(text)) return "waivers";
  if (name.endsWith(".yaml") || name.endsWith(".yml") || /^\w+\s*:/m.test(text)) return "config";
  throw new SnapshotError("cannot tell what kind of file this is; pass --kind", file);
}
