// `sagegate plan`: CloudFormation templates, CDK assemblies, Terraform plan JSON and SageMaker
// pipeline definitions (optionally over a live snapshot) → planned snapshot → the same rules,
// reports, gate and exit codes as `evaluate` (reportAndGate), plus exit 3 for checks that depend
// on values not known before deploy unless --allow-unresolved. Values the plan marks sensitive
// are redacted from every result and warning before anything is written.
import { UsageError } from "../errors.js";
import { buildPlannedSnapshot, planTypeCounts } from "../plan/build.js";
import { planInputs, type PlanContext } from "../plan/inputs.js";
import { Redactor } from "../plan/redact.js";
import { planResults } from "../plan/results.js";
import type { Verdict } from "../report/gate.js";
import type { PlanSummary } from "../report/model.js";
import { causeText } from "../report/text.js";
import { readSnapshotFile } from "../snapshot/read.js";
import { prepare, reportAndGate, type EvaluateOptions } from "./evaluate.js";

export interface PlanOptions extends EvaluateOptions {
  parameters: string[];
  live?: string;
  account?: string;
  region?: string;
  stack: string[];
  allowUnresolved: boolean;
  /** Terraform: the root module's directory, where `.tf` files are looked up. */
  tfRoot?: string;
}

export async function runPlan(paths: readonly string[], options: PlanOptions, stderr: (line: string) => void): Promise<Verdict> {
  if (options.account !== undefined && !/^\d{12}$/.test(options.account))
    throw new UsageError(`--account: "${options.account}" is not a 12-digit AWS account id`);
  if (options.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(options.region))
    throw new UsageError(`--region: "${options.region}" is not an AWS region name`);
  // No snapshot file to point at: SARIF results point at the declarations (their files under --repo-root).
  const prepared = prepare(options, undefined);
  const root = options.repoRoot ?? process.cwd();
  const live = options.live !== undefined ? readSnapshotFile(options.live) : undefined;
  const context: PlanContext = { stacks: options.stack, parameters: options.parameters, root };
  if (options.account !== undefined) context.accountId = options.account;
  if (options.region !== undefined) context.region = options.region;
  if (options.tfRoot !== undefined) context.tfRoot = options.tfRoot;
  if (live) {
    const accounts = [...new Set(live.regions.map((r) => r.accountId))];
    const regions = [...new Set(live.regions.map((r) => r.region))];
    context.liveTarget = {};
    if (accounts.length === 1) context.liveTarget.accountId = accounts[0]!;
    if (regions.length === 1) context.liveTarget.region = regions[0]!;
  }
  const sets = planInputs(paths, context);
  const built = buildPlannedSnapshot(sets, live ? { live } : {});
  const redactor = new Redactor(sets, built);
  const warnings = redactor.warnings(built.warnings);
  for (const w of warnings) stderr(`sagegate: warning: ${w.source.file}:${w.source.line}: ${w.message}${w.cause ? ` (${causeText(w.cause)})` : ""}`);
  const plan: PlanSummary = {
    inputs: [...paths],
    warnings: warnings.map((w) => ({ file: w.source.file, line: w.source.line, message: w.message, ...(w.cause ? { unresolved: w.cause } : {}) })),
  };
  if (options.live !== undefined) plan.live = options.live;
  return reportAndGate(built.snapshot, undefined, prepared, options, [], {
    results: (results) => redactor.results(planResults(results, built)),
    report: { plan, planTypeCounts: planTypeCounts(built) },
    allowUnresolved: options.allowUnresolved,
  });
}
