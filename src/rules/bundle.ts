// The rule catalogue as one JSON file, built with the CLI (npm run build): a run loads it in a
// millisecond instead of parsing dozens of YAML files. It is used only while it matches the
// rule files on disk (same files, sizes and modification times); otherwise the YAML is read.
import { readFileSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { RuleError } from "../errors.js";
import { DEFAULT_RULES_DIR, listYaml, loadRuleSet, requireRules, type RuleSet } from "./load.js";
import type { LoadedRule, RuleDefinition } from "./types.js";

interface FileStamp {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface CatalogueBundle {
  bundleVersion: 1;
  files: FileStamp[];
  rules: Array<{ file: string; def: RuleDefinition }>;
  definitions: Record<string, unknown>;
  definitionsFile?: string;
  definitionTranslations?: Record<string, string>;
}

const BUNDLE = fileURLToPath(new URL("../generated/catalogue.json", import.meta.url));

function stamps(dir: string): FileStamp[] {
  return listYaml(dir).map((file) => {
    const st = statSync(file);
    return { path: relative(dir, file), size: st.size, mtimeMs: st.mtimeMs };
  });
}

/** Loads and checks the whole catalogue (tests included), then keeps what evaluation needs. */
export function buildBundle(dir: string = DEFAULT_RULES_DIR): CatalogueBundle {
  const set = loadRuleSet(dir);
  const bundle: CatalogueBundle = {
    bundleVersion: 1,
    files: stamps(dir),
    rules: set.rules.map((r) => ({ file: relative(dir, r.file), def: r.def })),
    definitions: Object.fromEntries(set.definitions),
  };
  if (set.definitionsFile) bundle.definitionsFile = relative(dir, set.definitionsFile);
  if (set.definitionTranslations) bundle.definitionTranslations = Object.fromEntries(set.definitionTranslations);
  return bundle;
}

/** The bundled catalogue when it is current, else undefined. */
export function readBundle(dir: string = DEFAULT_RULES_DIR): RuleSet | undefined {
  let bundle: CatalogueBundle;
  try {
    bundle = JSON.parse(readFileSync(BUNDLE, "utf8")) as CatalogueBundle;
  } catch {
    return undefined;
  }
  if (bundle.bundleVersion !== 1 || !sameFiles(bundle.files, stamps(dir))) return undefined;
  const set: RuleSet = {
    dir,
    rules: bundle.rules.map((r) => ({ def: r.def, file: resolve(dir, r.file), locate: () => ({}), tests: [] })),
    definitions: new Map(Object.entries(bundle.definitions)),
  };
  if (bundle.definitionsFile) set.definitionsFile = resolve(dir, bundle.definitionsFile);
  if (bundle.definitionTranslations) set.definitionTranslations = new Map(Object.entries(bundle.definitionTranslations));
  return set;
}

function sameFiles(a: readonly FileStamp[], b: readonly FileStamp[]): boolean {
  return a.length === b.length && a.every((x, i) => x.path === b[i]!.path && x.size === b[i]!.size && x.mtimeMs === b[i]!.mtimeMs);
}

/** Where a run's rules come from: the bundled catalogue (unless --no-builtin-rules) plus each --rules DIR. */
export interface RuleSource {
  dirs: string[];
  builtin: boolean;
}

export const BUILTIN_ONLY: RuleSource = { dirs: [], builtin: true };

/**
 * The rules an evaluation uses: the bundled catalogue (from the build's bundle when current, else
 * its YAML) followed by the rules of each directory, read from YAML. Test cases are not read.
 */
export function loadCatalogue(source: RuleSource = BUILTIN_ONLY): { set: RuleSet; bundled: boolean } {
  const sets: RuleSet[] = [];
  let bundled = false;
  if (source.builtin) {
    const bundle = readBundle();
    bundled = bundle !== undefined;
    sets.push(bundle ?? loadRuleSet(undefined, { tests: false }));
  }
  // A --rules directory without rules is most likely a wrong path: refused, never silently nothing.
  for (const dir of source.dirs) sets.push(requireRules(loadRuleSet(dir, { tests: false })));
  return { set: combineRuleSets(sets), bundled };
}

/** Like loadCatalogue, always from YAML and with each rule's test cases (rules test, rules show). */
export function loadRuleSources(source: RuleSource = BUILTIN_ONLY): RuleSet {
  const sets = [...(source.builtin ? [loadRuleSet()] : []), ...source.dirs.map((dir) => requireRules(loadRuleSet(dir)))];
  return combineRuleSets(sets);
}

/**
 * One set from several directories. A rule id or name used twice, or a definition name defined
 * twice with different content, is an error naming both files.
 */
export function combineRuleSets(sets: readonly RuleSet[]): RuleSet {
  if (sets.length === 1) return sets[0]!;
  if (sets.length === 0) throw new RuleError("no rules: give --rules DIR, or drop --no-builtin-rules", ".");
  const out: RuleSet = { dir: sets[sets.length - 1]!.dir, rules: [], definitions: new Map() };
  const byId = new Map<string, LoadedRule>();
  const byName = new Map<string, LoadedRule>();
  const definedIn = new Map<string, string | undefined>();
  for (const set of sets) {
    for (const rule of set.rules) {
      const other = byId.get(rule.def.id);
      if (other) throw new RuleError(`rule id ${rule.def.id} is also used by ${other.file}`, rule.file, { ...rule.locate(["id"]), pointer: "/id" });
      const sameName = byName.get(rule.def.name);
      if (sameName)
        throw new RuleError(`rule name ${rule.def.name} is also used by ${sameName.file}`, rule.file, { ...rule.locate(["name"]), pointer: "/name" });
      byId.set(rule.def.id, rule);
      byName.set(rule.def.name, rule);
      out.rules.push(rule);
    }
    for (const [name, condition] of set.definitions) {
      if (out.definitions.has(name) && JSON.stringify(out.definitions.get(name)) !== JSON.stringify(condition)) {
        throw new RuleError(
          `definition ${name} is also defined, differently, in ${definedIn.get(name) ?? "another rules directory"}`,
          set.definitionsFile ?? set.dir,
          {
            ...(set.definitionsLocate?.([name]) ?? {}),
            pointer: `/definitions/${name}`,
          },
        );
      }
      out.definitions.set(name, condition);
      definedIn.set(name, set.definitionsFile);
    }
    for (const [en, zh] of set.definitionTranslations ?? []) (out.definitionTranslations ??= new Map()).set(en, zh);
    // Errors inside a definition are reported against the last directory that has a definitions file.
    if (set.definitionsFile) {
      out.definitionsFile = set.definitionsFile;
      if (set.definitionsLocate) out.definitionsLocate = set.definitionsLocate;
    }
  }
  out.rules.sort((a, b) => (a.def.id < b.def.id ? -1 : a.def.id > b.def.id ? 1 : 0));
  return out;
}
