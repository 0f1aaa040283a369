// The rule catalogue as one JSON file, built with the CLI (npm run build): a run loads it in a
// millisecond instead of parsing dozens of YAML files. It is used only while it matches the
// rule files on disk (same files, sizes and modification times); otherwise the YAML is read.
import { readFileSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_RULES_DIR, listYaml, loadRuleSet, type RuleSet } from "./load.js";
import type { RuleDefinition } from "./types.js";

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
  return set;
}

function sameFiles(a: readonly FileStamp[], b: readonly FileStamp[]): boolean {
  return a.length === b.length && a.every((x, i) => x.path === b[i]!.path && x.size === b[i]!.size && x.mtimeMs === b[i]!.mtimeMs);
}

/**
 * The rules an evaluation uses: `--rules DIR` read from YAML, else the bundled catalogue when
 * current, else the catalogue's YAML. Test cases are not read either way.
 */
export function loadCatalogue(dir?: string): { set: RuleSet; bundled: boolean } {
  if (dir === undefined) {
    const bundled = readBundle();
    if (bundled) return { set: bundled, bundled: true };
  }
  return { set: loadRuleSet(dir, { tests: false }), bundled: false };
}
