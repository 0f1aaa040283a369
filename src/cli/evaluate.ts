// `sagegate evaluate`: snapshot + rules + config → reports and a gate verdict.
import { extname } from "node:path";
import { resolveConfig, type Config } from "../config/config.js";
import { UsageError } from "../errors.js";
import { evaluate } from "../evaluate/engine.js";
import { Placeholders } from "../evaluate/placeholders.js";
import { compileRuleSet, type CompiledRule } from "../evaluate/rule.js";
import { gateVerdict, type FailOn, type Verdict } from "../report/gate.js";
import { repoRelativeUri } from "../report/artifact.js";
import { buildReport, type Report, type ReportContext } from "../report/model.js";
import { writeReports, type OutputRequest } from "../report/outputs.js";
import { loadRuleSet } from "../rules/load.js";
import { checkCategory } from "../report/sarif.js"; // also registers the sarif renderer
import { readSnapshotFile } from "../snapshot/read.js";
import type { LoadedSnapshot } from "../snapshot/types.js";

export interface EvaluateOptions {
  config?: string;
  rules?: string;
  format: string[];
  output: string[];
  failOn: FailOn;
  allowIncomplete: boolean;
  /** SARIF: `automationDetails.id` (default: derived from the accounts and regions scanned). */
  category?: string;
  /** SARIF: the snapshot's path is written relative to this directory (default: the working directory). */
  repoRoot?: string;
}

export const FORMATS = ["table", "json", "markdown", "sarif"] as const;
export type Format = (typeof FORMATS)[number];

/** Loads config and rules and compiles them: everything that can be wrong with user files, checked before any work. */
export function prepareRules(options: Pick<EvaluateOptions, "config" | "rules">): { config: Config; rules: CompiledRule[] } {
  const { config } = resolveConfig(options.config);
  const set = loadRuleSet(options.rules);
  return { config, rules: compileRuleSet(set, new Placeholders(config)) };
}

export async function runEvaluate(snapshotPath: string, options: EvaluateOptions): Promise<Verdict> {
  const outputs = pairOutputs(options.format, options.output);
  const { config, rules } = prepareRules(options);
  const locations = sarifLocations(outputs, snapshotPath, options);
  const snapshot = readSnapshotFile(snapshotPath);
  return reportAndGate(snapshot, snapshotPath, config, rules, outputs, options, locations);
}

/**
 * What SARIF needs beyond the evaluation: the snapshot as a repository-relative path (checked
 * before any work, so a snapshot outside the root stops the run with nothing written) and the
 * category. Nothing when no SARIF output is asked for.
 */
export function sarifLocations(outputs: readonly OutputRequest[], snapshotPath: string, options: Pick<EvaluateOptions, "category" | "repoRoot">): Pick<ReportContext, "artifactUri" | "category"> {
  if (!outputs.some((o) => o.format === "sarif")) return {};
  const out: Pick<ReportContext, "artifactUri" | "category"> = { artifactUri: repoRelativeUri(snapshotPath, options.repoRoot ?? process.cwd()) };
  if (options.category !== undefined) out.category = checkCategory(options.category);
  return out;
}

export async function reportAndGate(
  snapshot: LoadedSnapshot,
  snapshotPath: string | undefined,
  config: Config,
  rules: readonly CompiledRule[],
  outputs: OutputRequest[],
  options: Pick<EvaluateOptions, "failOn" | "allowIncomplete">,
  locations: Pick<ReportContext, "artifactUri" | "category"> = {},
): Promise<Verdict> {
  const evaluation = evaluate(snapshot, rules, config);
  const report: Report = buildReport({ snapshot, evaluation, profile: config.profile, ...(snapshotPath !== undefined ? { snapshotPath } : {}), ...locations });
  await writeReports(report, outputs);
  return gateVerdict(report, options);
}

/**
 * `--format` and `--output` are paired in order; a format without an output goes to stdout.
 * With outputs but no format, each output's extension says its format (.json, .md, .sarif, .txt).
 * With neither: a table on a terminal, JSON otherwise.
 */
export function pairOutputs(formats: readonly string[], outputs: readonly string[]): OutputRequest[] {
  let list: readonly string[] = formats;
  if (list.length === 0) list = outputs.length > 0 ? outputs.map(formatFromExtension) : [process.stdout.isTTY ? "table" : "json"];
  if (outputs.length > list.length) throw new UsageError(`${outputs.length} --output values for ${list.length} --format values; give one --format per --output`);
  const requests = list.map((format, i) => {
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format "${format}"; use ${FORMATS.join(", ")}`);
    return { format: format as Format, target: outputs[i] ?? "-" };
  });
  if (requests.filter((r) => r.target === "-").length > 1) throw new UsageError("only one format can go to standard output; give --output FILE for the others");
  const targets = requests.map((r) => r.target).filter((t) => t !== "-");
  if (new Set(targets).size !== targets.length) throw new UsageError("two formats write the same --output file");
  return requests;
}

const EXTENSIONS: Record<string, Format> = { ".json": "json", ".md": "markdown", ".txt": "table", ".sarif": "sarif" };

function formatFromExtension(output: string): string {
  const ext = extname(output).toLowerCase();
  const format = EXTENSIONS[ext];
  if (!format) throw new UsageError(`cannot tell the format of --output ${output} from its extension; add --format`);
  return format;
}
