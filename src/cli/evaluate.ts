// `sagegate evaluate`: snapshot + rules + config → reports and a gate verdict.
import type { Lang } from "../i18n/index.js";
import { resolveConfig, type Config, type Profile } from "../config/config.js";
import { RuleError, UsageError } from "../errors.js";
import { evaluateInParallel } from "../evaluate/parallel.js";
import { Placeholders } from "../evaluate/placeholders.js";
import { compileRuleSet, type CompiledRule } from "../evaluate/rule.js";
import { gateVerdict, type FailOn, type Verdict } from "../report/gate.js";
import { repoRelativeUri } from "../report/artifact.js";
import { buildReport, type Report, type ReportContext } from "../report/model.js";
import { writeReports, type OutputRequest, type Staged } from "../report/outputs.js";
import { checkOutputs, type OutputCheck } from "../io/files.js";
import { displayPath, loadRuleSet, requireRules } from "../rules/load.js";
import { activeRules, type EvaluationResult } from "../evaluate/engine.js";
import { combineRuleSets, loadCatalogue, type RuleSource } from "../rules/bundle.js";
import { selectRules } from "../rules/select.js";
import { applyWaivers, resolveWaivers, type Waiver } from "../gate/waivers.js";
import { applyBaseline, loadBaseline, type Baseline } from "../gate/baseline.js";
import { appendStepSummary } from "../report/step-summary.js";
import { checkCategory, checkMaxResults } from "../report/category.js";
import { readSnapshotFile } from "../snapshot/read.js";
import type { LoadedSnapshot } from "../snapshot/types.js";

export interface EvaluateOptions {
  config?: string;
  /** --rules DIR (repeatable): rules added to the bundled catalogue. */
  rules?: string[];
  /** false with --no-builtin-rules: only the --rules directories. */
  builtinRules?: boolean;
  /** --rule / --skip-rule: ids or globs, repeatable or comma-separated. */
  rule?: string[];
  skipRule?: string[];
  /** --profile: overrides the configuration's profile. */
  profile?: Profile;
  /** --lang: overrides the configuration's language. */
  lang?: Lang;
  format: string[];
  output: string[];
  failOn: FailOn;
  allowIncomplete: boolean;
  /** Exit 0 rather than 3 when a rule area or a configured VPC or project checked nothing. */
  allowEmptyScope?: boolean;
  waivers?: string;
  strictWaivers?: boolean;
  baseline?: string;
  failOnNew?: boolean;
  /** SARIF: `automationDetails.id` (default: none, so upload-sarif's `category:` applies). */
  category?: string;
  /** SARIF: the previous run's JSON report (without a baseline): which checks failed last time. */
  lastReport?: string;
  /** SARIF: at most this many results (text, as given on the command line). */
  sarifMaxResults?: string;
  /** SARIF: the snapshot's path is written relative to this directory (default: the working directory). */
  repoRoot?: string;
  /** SARIF: emit waived results with `suppressions` (GitHub ignores them, so off by default). */
  sarifIncludeWaived?: boolean;
}

export const FORMATS = ["table", "json", "markdown", "sarif", "junit"] as const;
export type Format = (typeof FORMATS)[number];

/** The bundled catalogue (unless --no-builtin-rules) and every --rules DIR. */
export function ruleSource(options: Pick<EvaluateOptions, "rules" | "builtinRules">): RuleSource {
  const source: RuleSource = { dirs: [...(options.rules ?? [])], builtin: options.builtinRules !== false };
  if (!source.builtin && source.dirs.length === 0) throw new UsageError("--no-builtin-rules needs at least one --rules DIR");
  return source;
}

/**
 * Loads config and rules, compiles them and selects the ones to run (--rule, --skip-rule,
 * profile): everything that can be wrong with user files or options, checked before any work.
 */
export function prepareRules(options: Pick<EvaluateOptions, "config" | "rules" | "builtinRules" | "rule" | "skipRule" | "profile" | "lang">): {
  config: Config;
  rules: CompiledRule[];
  source: RuleSource;
} {
  const resolved = resolveConfig(options.config).config;
  const config: Config = { ...resolved };
  if (options.profile !== undefined) config.profile = options.profile;
  if (options.lang !== undefined) config.language = options.lang;
  const placeholders = new Placeholders(config);
  const source = ruleSource(options);
  const { set, bundled } = loadCatalogue(source);
  requireRules(set);
  let compiled: CompiledRule[];
  try {
    compiled = compileRuleSet(set, placeholders);
  } catch (err) {
    // The bundle keeps no source positions: read the YAML again to say where the problem is.
    if (!bundled || !(err instanceof RuleError)) throw err;
    compiled = compileRuleSet(
      combineRuleSets([loadRuleSet(undefined, { tests: false }), ...source.dirs.map((d) => loadRuleSet(d, { tests: false }))]),
      placeholders,
    );
  }
  if (activeRules(compiled, config).length === 0)
    throw new RuleError(
      `none of the ${compiled.length} rules runs under profile ${config.profile} (they are all high-security rules); the run would check nothing`,
      set.dir,
    );
  return { config, rules: selectRules(compiled, { rule: options.rule ?? [], skipRule: options.skipRule ?? [] }, config.profile), source };
}

/** Everything a run needs from user files, loaded and checked before any work is done. */
export interface Prepared {
  config: Config;
  rules: CompiledRule[];
  source: RuleSource;
  waivers: Waiver[];
  baseline?: Baseline;
  outputs: OutputRequest[];
  /** SARIF: the snapshot's repository-relative location, the category and the result limit. */
  locations: Pick<ReportContext, "artifactUri" | "category" | "sarifMaxResults">;
  /** `--last-report`: the previous run's failures. */
  lastReport?: Baseline;
}

/**
 * `snapshotPath`: the file SARIF results will point at (evaluate's input, or scan's --snapshot-out).
 * `alsoWritten`: outputs of the run besides the reports (scan's --snapshot-out), checked with them.
 */
export function prepare(options: EvaluateOptions, snapshotPath: string | undefined, alsoWritten: readonly OutputCheck[] = []): Prepared {
  const outputs = pairOutputs(options.format, options.output);
  checkOutputs([...outputs.map((o) => ({ path: o.target, option: "--output" })), ...alsoWritten]);
  const { config, rules, source } = prepareRules(options);
  const waivers = resolveWaivers(options.waivers);
  if (options.failOnNew && !options.baseline) throw new UsageError("--fail-on-new needs --baseline previous-report.json");
  const locations = sarifLocations(outputs, snapshotPath, options);
  const prepared: Prepared = { config, rules, source, waivers, outputs, locations };
  if (options.baseline) prepared.baseline = loadBaseline(options.baseline);
  if (options.lastReport) prepared.lastReport = loadBaseline(options.lastReport);
  return prepared;
}

export async function runEvaluate(snapshotPath: string, options: EvaluateOptions): Promise<Verdict> {
  const prepared = prepare(options, snapshotPath);
  const snapshot = readSnapshotFile(snapshotPath, { lines: prepared.outputs.some((o) => o.format === "sarif") });
  return reportAndGate(snapshot, snapshotPath, prepared, options);
}

/**
 * What SARIF needs beyond the evaluation, checked before any work: the snapshot as a
 * repository-relative path (none when it is outside the root: results then have no related
 * location in it), the category and the result limit. Nothing when no SARIF output is asked for.
 */
export function sarifLocations(
  outputs: readonly OutputRequest[],
  snapshotPath: string | undefined,
  options: Pick<EvaluateOptions, "category" | "repoRoot" | "sarifMaxResults">,
): Pick<ReportContext, "artifactUri" | "category" | "sarifMaxResults"> {
  if (!outputs.some((o) => o.format === "sarif")) return {};
  const out: Pick<ReportContext, "artifactUri" | "category" | "sarifMaxResults"> = {};
  if (snapshotPath !== undefined) {
    const uri = repoRelativeUri(snapshotPath, options.repoRoot ?? process.cwd());
    if (uri !== undefined) out.artifactUri = uri;
  }
  if (options.category !== undefined) out.category = checkCategory(options.category);
  if (options.sarifMaxResults !== undefined) out.sarifMaxResults = checkMaxResults(options.sarifMaxResults);
  return out;
}

/** The previous run's failures, by finding key: the baseline's and the last report's. */
function previousFailures(prepared: Prepared): ReportContext["previousFailures"] {
  const sources = [prepared.baseline, prepared.lastReport].filter((b) => b !== undefined);
  if (sources.length === 0) return undefined;
  if (sources.length === 1) return sources[0]!.findings;
  return new Map(sources.flatMap((b) => [...b.findings]));
}

/** What `plan` adds to a run: its results post-processed, its summary and coverage counts, --allow-unresolved. */
export interface PlanRun {
  results: (results: EvaluationResult[]) => EvaluationResult[];
  report: Pick<ReportContext, "plan" | "planTypeCounts">;
  allowUnresolved: boolean;
}

/** evaluate → waivers → baseline → reports → verdict. Shared by `evaluate`, `scan` and `plan`. */
export async function reportAndGate(
  snapshot: LoadedSnapshot,
  snapshotPath: string | undefined,
  prepared: Prepared,
  options: EvaluateOptions,
  commitWith: readonly Staged[] = [],
  plan?: PlanRun,
): Promise<Verdict> {
  const { config, rules, outputs } = prepared;
  const evaluation = await evaluateInParallel(snapshot, rules, config, { rules: prepared.source });
  const results = plan ? plan.results(evaluation.results) : evaluation.results;
  const waived = applyWaivers(results, prepared.waivers);
  const baseline = prepared.baseline ? applyBaseline(waived.results, prepared.baseline) : undefined;
  const previous = previousFailures(prepared);
  const report: Report = buildReport({
    snapshot,
    evaluation: { ...evaluation, results: waived.results },
    profile: config.profile,
    config,
    waivers: waived.statuses,
    ...(baseline ? { baseline } : {}),
    ...(snapshotPath !== undefined ? { snapshotPath } : {}),
    ...prepared.locations,
    ...(options.sarifIncludeWaived ? { includeWaivedInSarif: true } : {}),
    ...(previous ? { previousFailures: previous } : {}),
    ...(plan ? plan.report : {}),
  });
  await writeReports(report, outputs, commitWith);
  const files = outputs.filter((o) => o.target !== "-");
  if (files.length > 0) process.stderr.write(`sagegate: wrote ${files.map((o) => `${displayPath(o.target)} (${o.format})`).join(", ")}\n`);
  const verdict = gateVerdict(report, {
    failOn: options.failOn,
    allowIncomplete: options.allowIncomplete,
    allowEmptyScope: options.allowEmptyScope ?? false,
    ...(plan ? { allowUnresolved: plan.allowUnresolved } : {}),
    failOnNew: options.failOnNew ?? false,
    strictWaivers: options.strictWaivers ?? false,
  });
  // The reports are written: a step summary GitHub's runner does not let us append is a warning, not a lost verdict.
  try {
    appendStepSummary(report);
  } catch (err) {
    verdict.notes.push(`warning: cannot append the step summary to ${process.env.GITHUB_STEP_SUMMARY}: ${(err as Error).message}`);
  }
  return verdict;
}

/**
 * `--format` and `--output` are paired in order; a format without an output goes to stdout.
 * With outputs but no format, each output's extension says its format (.json, .md, .sarif,
 * .sarif.json, .junit.xml, .txt; "-" is the table). With neither: the table, on a terminal or not.
 */
export function pairOutputs(formats: readonly string[], outputs: readonly string[]): OutputRequest[] {
  let list: readonly string[] = formats;
  if (list.length === 0) list = outputs.length > 0 ? outputs.map(formatFromExtension) : ["table"];
  if (outputs.length > list.length)
    throw new UsageError(`${outputs.length} --output values for ${list.length} --format values; give one --format per --output`);
  const requests = list.map((format, i) => {
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format "${format}"; use ${FORMATS.join(", ")}`);
    return { format: format as Format, target: outputs[i] ?? "-" };
  });
  if (requests.filter((r) => r.target === "-").length > 1) throw new UsageError("only one format can go to standard output; give --output FILE for the others");
  const targets = requests.map((r) => r.target).filter((t) => t !== "-");
  if (new Set(targets).size !== targets.length) throw new UsageError("two formats write the same --output file");
  return requests;
}

/** Longest suffix first: report.sarif.json is SARIF, report.json is JSON. */
const EXTENSIONS: ReadonlyArray<[string, Format]> = [
  [".sarif.json", "sarif"],
  [".junit.xml", "junit"],
  [".sarif", "sarif"],
  [".json", "json"],
  [".md", "markdown"],
  [".markdown", "markdown"],
  [".txt", "table"],
];

function formatFromExtension(output: string): string {
  if (output === "-") return "table";
  const name = output.toLowerCase();
  const format = EXTENSIONS.find(([ext]) => name.endsWith(ext))?.[1];
  if (format) return format;
  const hint = name.endsWith(".xml") ? "; add --format junit (or name it .junit.xml)" : "; add --format";
  throw new UsageError(`cannot tell the format of --output ${output} from its extension${hint}`);
}
