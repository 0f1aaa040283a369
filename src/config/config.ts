import { existsSync } from "node:fs";
import { ConfigError, type Place } from "../errors.js";
import { readTextFile } from "../io/files.js";
import { assertSchema } from "../io/schema.js";
import { parseYaml } from "../io/yaml.js";
import type { Lang } from "../i18n/index.js";

export type Profile = "baseline" | "high-security";

/** The organisation's values the design leaves as placeholders (issue: configuration). */
export interface Config {
  tagPrefix: string;
  company: string;
  teams: string[];
  projects: string[];
  vpcIds: string[];
  logRetentionDays: { processingJobs: number; trainingJobs: number; endpoints: number; studio: number };
  ecr: { keepImages: number };
  profile: Profile;
  /** Base URL of rule pages and the design summary in reports (default: the repository at this version's tag). */
  docsUrl?: string;
  /** The language of rule text, messages and reports (default en; `--lang` overrides it). */
  language?: Lang;
}

export const DEFAULT_CONFIG_FILE = "sagegate.config.yaml";
/** Also accepted in the working directory when sagegate.config.yaml is not there. */
export const ALTERNATE_CONFIG_FILE = "sagegate.config.yml";

const makeError = (message: string, file: string, place?: Place) => new ConfigError(message, file, place);

/** Fills defaults for everything optional. `raw` must already match the config schema. */
export function withDefaults(raw: Partial<Config> & Pick<Config, "tagPrefix" | "company">): Config {
  return {
    tagPrefix: raw.tagPrefix,
    company: raw.company,
    teams: raw.teams ?? [],
    projects: raw.projects ?? [],
    vpcIds: raw.vpcIds ?? [],
    logRetentionDays: {
      processingJobs: raw.logRetentionDays?.processingJobs ?? 30,
      trainingJobs: raw.logRetentionDays?.trainingJobs ?? 90,
      endpoints: raw.logRetentionDays?.endpoints ?? 14,
      studio: raw.logRetentionDays?.studio ?? 7,
    },
    ecr: { keepImages: raw.ecr?.keepImages ?? 10 },
    profile: raw.profile ?? "baseline",
    ...(raw.docsUrl !== undefined ? { docsUrl: raw.docsUrl } : {}),
    ...(raw.language !== undefined ? { language: raw.language } : {}),
  };
}

export function parseConfig(text: string, file: string): Config {
  const doc = parseYaml(text, file, makeError);
  if (doc.value === null || doc.value === undefined) throw new ConfigError("the file is empty; it needs at least tagPrefix and company", file);
  assertSchema("config", doc.value, file, makeError, doc.locate);
  return withDefaults(doc.value as Config);
}

export function loadConfig(file: string): Config {
  return parseConfig(readTextFile(file, makeError), file);
}

/**
 * `--config FILE`, else `sagegate.config.yaml` in the working directory. Without either, there
 * is no tag prefix or company to check names against, so we stop with a hint rather than guess.
 */
export function resolveConfig(explicit: string | undefined): { config: Config; file: string } {
  if (explicit !== undefined) return { config: loadConfig(explicit), file: explicit };
  const found = [DEFAULT_CONFIG_FILE, ALTERNATE_CONFIG_FILE].filter((f) => existsSync(f));
  if (found.length === 0) {
    throw new ConfigError(
      "no configuration: pass --config FILE, create sagegate.config.yaml (or .yml) with at least `tagPrefix` and `company`, or run `sagegate init`",
      DEFAULT_CONFIG_FILE,
    );
  }
  if (found.length > 1) throw new ConfigError(`both ${found.join(" and ")} exist; keep one, or pass --config FILE`, found[1]);
  return { config: loadConfig(found[0]!), file: found[0]! };
}
