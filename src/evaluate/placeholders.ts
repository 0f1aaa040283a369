// Config values inside rules: `{tagPrefix}`, `{projects}`, `{ecr.keepImages}`, … are replaced at
// compile time; `{accountId}` and `{region}` when a region is evaluated. Values from config are
// always literal: inside a regex they are escaped, so "acme.ml" matches only "acme.ml".
import type { Config } from "../config/config.js";

export const RUNTIME_PLACEHOLDERS = ["accountId", "region"] as const;
export type RuntimeName = (typeof RUNTIME_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*)\}/g;

export class PlaceholderError extends Error {}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function alternation(values: readonly string[]): string {
  // An empty list must match nothing rather than everything.
  return values.length === 0 ? "[^\\s\\S]" : `(?:${values.map(escapeRegex).join("|")})`;
}

const WORD = "[a-z0-9]+";

export class Placeholders {
  private readonly values: Record<string, unknown>;
  private readonly patterns: Record<string, string>;

  constructor(readonly config: Config) {
    this.values = {
      tagPrefix: config.tagPrefix,
      company: config.company,
      teams: config.teams,
      projects: config.projects,
      vpcIds: config.vpcIds,
      profile: config.profile,
      "logRetentionDays.processingJobs": config.logRetentionDays.processingJobs,
      "logRetentionDays.trainingJobs": config.logRetentionDays.trainingJobs,
      "logRetentionDays.endpoints": config.logRetentionDays.endpoints,
      "logRetentionDays.studio": config.logRetentionDays.studio,
      "ecr.keepImages": config.ecr.keepImages,
    };
    const team = config.teams.length > 0 ? alternation(config.teams) : WORD;
    this.patterns = {
      // {team}: a configured team, or any lowercase word.
      team,
      // {teamProject}: a configured project; else <team>-<words>; else two or more lowercase words.
      teamProject: config.projects.length > 0 ? alternation(config.projects) : `${team}(?:-${WORD})+`,
      // {projectPrefix}: "starts with {team}-{project}-" as the configuration section defines it.
      projectPrefix:
        config.projects.length > 0 ? `${alternation(config.projects)}-` : config.teams.length > 0 ? `${alternation(config.teams)}-` : `${WORD}-${WORD}-`,
    };
  }

  names(): string[] {
    return [...Object.keys(this.values), ...Object.keys(this.patterns), ...RUNTIME_PLACEHOLDERS].sort();
  }

  isRuntime(name: string): name is RuntimeName {
    return (RUNTIME_PLACEHOLDERS as readonly string[]).includes(name);
  }

  has(name: string): boolean {
    return Object.hasOwn(this.values, name) || this.isRuntime(name);
  }

  /** The raw value of a config placeholder (a string, number or list). */
  value(name: string): unknown {
    if (!Object.hasOwn(this.values, name)) throw new PlaceholderError(`unknown placeholder {${name}}; known: ${Object.keys(this.values).join(", ")}`);
    return this.values[name];
  }

  /**
   * Interpolates a value written in a rule. A string that is exactly one placeholder takes the
   * placeholder's value and type (number, list); placeholders inside longer strings are
   * substituted as text. Returns a function when the value depends on the region.
   */
  interpolate(written: unknown): { constant: unknown } | { runtime: (vars: Record<RuntimeName, string>) => unknown } {
    if (typeof written === "string") {
      const whole = /^\{([A-Za-z][A-Za-z0-9.]*)\}$/.exec(written);
      if (whole && !this.isRuntime(whole[1]!)) return { constant: this.value(whole[1]!) };
      if (!written.includes("{")) return { constant: written };
      type Part = { text: string } | { runtime: RuntimeName };
      const parts: Part[] = [];
      let last = 0;
      for (const m of written.matchAll(PLACEHOLDER)) {
        parts.push({ text: written.slice(last, m.index) });
        const name = m[1]!;
        if (this.isRuntime(name)) parts.push({ runtime: name });
        else {
          const v = this.value(name);
          if (typeof v !== "string" && typeof v !== "number") throw new PlaceholderError(`{${name}} is a list and cannot be part of a longer string`);
          parts.push({ text: String(v) });
        }
        last = m.index + m[0].length;
      }
      parts.push({ text: written.slice(last) });
      const render = (vars: Record<RuntimeName, string>) => parts.map((p) => ("text" in p ? p.text : vars[p.runtime])).join("");
      if (parts.every((p) => "text" in p)) return { constant: render({ accountId: "", region: "" }) };
      return { runtime: render };
    }
    if (Array.isArray(written)) {
      const items = written.map((w) => this.interpolate(w));
      if (items.every((i) => "constant" in i)) return { constant: items.flatMap((i) => spread(i.constant)) };
      return {
        runtime: (vars) => items.flatMap((i) => spread("constant" in i ? i.constant : i.runtime(vars))),
      };
    }
    return { constant: written };
  }

  /** Expands placeholders inside a regular expression: config values escaped, derived patterns as written. */
  regex(pattern: string): string {
    return pattern.replace(PLACEHOLDER, (_, name: string) => {
      if (Object.hasOwn(this.patterns, name)) return this.patterns[name]!;
      if (this.isRuntime(name)) throw new PlaceholderError(`{${name}} cannot be used in a regex`);
      const v = this.value(name);
      if (Array.isArray(v)) return alternation(v.map(String));
      return escapeRegex(String(v));
    });
  }

  /**
   * Substitutes config placeholders in message text; unknown names, and the escapes `{{` and
   * `}}`, are left for the caller (the rule's message fills evidence keys, then unescapes).
   */
  text(template: string): string {
    return template.replace(TEXT_TOKEN, (whole, name: string | undefined) => {
      if (name === undefined || !Object.hasOwn(this.values, name)) return whole;
      const v = this.values[name];
      return Array.isArray(v) ? v.join(", ") : String(v);
    });
  }

  /** A condition's message: config placeholders substituted, `{{` and `}}` turned into braces. */
  message(template: string): string {
    return unescapeBraces(this.text(template));
  }

  /** Names a message can use: the configuration values (not the regex-only patterns, not the runtime names). */
  textNames(): string[] {
    return Object.keys(this.values).sort();
  }

  /** Regex-only placeholders ({team}, {teamProject}, {projectPrefix}): they have no text. */
  isPattern(name: string): boolean {
    return Object.hasOwn(this.patterns, name);
  }
}

/** `{{` and `}}` (literal braces), or a `{placeholder}`. */
export const TEXT_TOKEN = /\{\{|\}\}|\{([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*)\}/g;

/** Literal text of a message template: `{{` → `{`, `}}` → `}`. */
export function unescapeBraces(text: string): string {
  return text.replace(/\{\{|\}\}/g, (m) => m[0]!);
}

/** A list placeholder inside a written list (`in: ["{projects}", "other"]`) contributes its items. */
function spread(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}
