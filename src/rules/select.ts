// Which rules a run uses: --rule and --skip-rule (ids or globs such as SG*, repeatable or
// comma-separated), within the profile (config `profile`, or --profile). A pattern that matches
// no rule is a usage error with a suggestion, never a silent "0 rules".
import type { Profile } from "../config/config.js";
import { UsageError } from "../errors.js";
import { suggest } from "../io/suggest.js";
import type { RuleDefinition } from "./types.js";

export interface RuleSelection {
  /** Only these (ids or globs); all when empty. */
  rule?: readonly string[];
  /** Never these. */
  skipRule?: readonly string[];
}

/** Splits repeated and comma-separated values into patterns. */
export function patternsOf(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** One pattern as a matcher: an exact id, or a glob with * and ?. Ids are matched case-insensitively. */
function matcher(option: string, pattern: string): { exact: boolean; test: (id: string) => boolean } {
  if (!/^[A-Za-z0-9*?_-]+$/.test(pattern)) throw new UsageError(`${label(option, pattern)}: a rule id or a glob of rule ids (SG003, SG*, KMS00?)`);
  const upper = pattern.toUpperCase();
  if (!/[*?]/.test(upper)) return { exact: true, test: (id) => id.toUpperCase() === upper };
  const re = new RegExp("^" + upper.replace(/[-_]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$");
  return { exact: false, test: (id) => re.test(id.toUpperCase()) };
}

function label(option: string, pattern: string): string {
  return option ? `${option} ${pattern}` : pattern;
}

/** Checks every pattern against the loaded ids: an unknown id or a glob matching nothing stops the run. */
function matchers(option: string, values: readonly string[] | undefined, ids: readonly string[]) {
  return patternsOf(values).map((pattern) => {
    const m = matcher(option, pattern);
    if (!ids.some(m.test)) {
      throw new UsageError(
        m.exact
          ? `${label(option, pattern)}: no rule has this id${suggest(pattern.toUpperCase(), ids)}`
          : `${label(option, pattern)}: the pattern matches no rule`,
      );
    }
    return { pattern, ...m };
  });
}

/**
 * The rules to run, in their order. A rule named by its exact id that the profile leaves out is
 * an error (it would silently not run); globs select within the profile.
 */
export function selectRules<T extends { def: RuleDefinition }>(
  rules: readonly T[],
  selection: RuleSelection,
  profile: Profile | undefined,
  options: { ruleOption?: string } = {},
): T[] {
  const ids = rules.map((r) => r.def.id);
  const only = matchers(options.ruleOption ?? "--rule", selection.rule, ids);
  const skip = matchers("--skip-rule", selection.skipRule, ids);
  const inProfile = (r: T) => profile === undefined || r.def.profile === "baseline" || profile === "high-security";
  for (const m of only.filter((x) => x.exact)) {
    const rule = rules.find((r) => m.test(r.def.id))!;
    if (!inProfile(rule) && !skip.some((s) => s.test(rule.def.id))) {
      throw new UsageError(
        `${label(options.ruleOption ?? "--rule", m.pattern)}: ${rule.def.id} belongs to the ${rule.def.profile} profile; add --profile ${rule.def.profile} to run it`,
      );
    }
  }
  const chosen = rules.filter((r) => inProfile(r) && (only.length === 0 || only.some((m) => m.test(r.def.id))) && !skip.some((m) => m.test(r.def.id)));
  if (chosen.length === 0) throw new UsageError("no rule is left to run: --rule, --skip-rule and the profile exclude every rule");
  return chosen;
}
