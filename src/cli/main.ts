#!/usr/bin/env node
// sagegate command line. Argument parsing is commander's (subcommands, help, "did you mean");
// this file wires commands to the stages and turns typed errors into one line and an exit code.
import { setFlagsFromString } from "node:v8";
import { Command, CommanderError, Option } from "commander";
import { ExitCode, isSagegateError } from "../errors.js";
import { removePendingTempFiles } from "../io/files.js";
import { redact } from "../collect/redact.js";
import { loadRuleSet } from "../rules/load.js";
import { TOOL } from "../version.js";
import { FORMATS, runEvaluate, type EvaluateOptions } from "./evaluate.js";
import { listRules, testRules } from "./rules.js";
import { addCollectOptions, type CollectCliOptions } from "./collect-options.js";
import { KINDS, validateFile, type Kind } from "./validate.js";
import { SEVERITIES } from "../rules/types.js";
import type { FailOn, Verdict } from "../report/gate.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

function stderr(text: string): void {
  process.stderr.write(text.endsWith("\n") ? text : text + "\n");
}

/** Options shared by evaluate and scan. */
export function addEvaluateOptions(cmd: Command): Command {
  return cmd
    .option("-c, --config <file>", "configuration file (default: sagegate.config.yaml in the working directory)")
    .option("-r, --rules <dir>", "rules directory (default: the bundled catalogue)")
    .addOption(
      new Option("-f, --format <format>", `report format, repeatable: ${FORMATS.join(", ")}`).argParser(collect).default([], "table on a terminal, else json"),
    )
    .addOption(new Option("-o, --output <file>", 'report file for the format in the same position ("-" = stdout), repeatable').argParser(collect).default([]))
    .addOption(new Option("--fail-on <severity>", "exit 1 when a check at or above this severity fails").choices([...SEVERITIES, "none"]).default("low"))
    .option("--allow-incomplete", "exit 0 rather than 3 when some checks could not be evaluated", false)
    .option("-w, --waivers <file>", "waivers file (default: sagegate.waivers.yaml in the working directory, if present)")
    .option("--strict-waivers", "also fail the gate on expired or unused waivers", false)
    .option("-b, --baseline <report.json>", "a previous JSON report: mark findings new or unchanged and count fixed ones")
    .option("--fail-on-new", "fail the gate only on failures that are not in the baseline", false)
    .option(
      "--category <id>",
      "SARIF: code scanning category, so nightly and pre-deploy uploads do not replace each other (default: sagegate/<accounts>/<regions>)",
    )
    .option("--repo-root <dir>", "SARIF: repository root the snapshot's path is written relative to (default: the working directory)")
    .option("--sarif-include-waived", "SARIF: include waived results with suppressions (GitHub ignores suppressions, so they are left out by default)", false);
}

/** Prints why the gate decided as it did (stderr) and sets the exit code. */
export function reportVerdict(verdict: Verdict): void {
  for (const note of verdict.notes) stderr(`sagegate: ${note}`);
  if (verdict.exitCode !== ExitCode.ok) stderr(`sagegate: ${verdict.reason}`);
  process.exitCode = verdict.exitCode;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("sagegate")
    .description("Policy-as-code compliance scanner for the AWS resources SageMaker workloads run on")
    .version(TOOL.version, "-V, --version")
    .showSuggestionAfterError(true)
    .configureOutput({ writeErr: stderr, outputError: (text, write) => write(`sagegate: ${text.replace(/^error: /, "")}`) })
    .exitOverride();

  addEvaluateOptions(
    program.command("evaluate").description("evaluate the rules against an inventory snapshot and write reports").argument("<snapshot>", "snapshot JSON file"),
  ).action(async (snapshot: string, opts: EvaluateOptions & { failOn: FailOn }) => {
    reportVerdict(await runEvaluate(snapshot, opts));
  });

  // collect, scan and merge load their modules (and the AWS SDK) only when they run.
  addCollectOptions(
    program
      .command("collect")
      .description(
        "collect the resources of AWS accounts into a snapshot (standard AWS configuration: credential chain, AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL)",
      )
      .option("-o, --output <file>", 'snapshot file ("-" = stdout)', "snapshot.json"),
  ).action(async (opts: CollectCliOptions & { output: string }) => {
    const { runCollect } = await import("./collect.js");
    process.exitCode = await runCollect(opts, stderr);
  });

  addCollectOptions(
    addEvaluateOptions(
      program
        .command("scan")
        .description("collect from AWS and evaluate in one step")
        .option("--snapshot-out <file>", "also keep the collected snapshot in this file"),
    ),
  ).action(async (opts: CollectCliOptions & EvaluateOptions & { failOn: FailOn; snapshotOut?: string }) => {
    const { runScan } = await import("./collect.js");
    reportVerdict(await runScan(opts, stderr));
  });

  // plan loads its modules (the template reader, the builder) only when it runs.
  addEvaluateOptions(
    program
      .command("plan")
      .description(
        "evaluate the rules against what is about to be deployed: CloudFormation templates, CDK assemblies (cdk.out), Terraform plans (terraform show -json) and SageMaker pipeline definitions",
      )
      .argument("<inputs...>", "template files (YAML or JSON), CDK cloud assembly directories, Terraform plan JSON files, pipeline definition JSON files")
      .addOption(
        new Option(
          "-p, --parameters <file>",
          "parameters file (AWS CLI JSON, CodePipeline template configuration or Key=Value lines), or NAME=FILE for one stack or pipeline; repeatable",
        )
          .argParser(collect)
          .default([]),
      )
      .option("--live <snapshot.json>", "a collected snapshot of the account deployed into: existing VPCs, groups, subnets, keys the templates refer to")
      .option("--account <id>", "account id for AWS::AccountId (default: the assembly's environment or the live snapshot's; else symbolic)")
      .option("--region <region>", "region for AWS::Region (default: the assembly's environment or the live snapshot's; else symbolic)")
      .addOption(
        new Option("--stack <name>", "only these stacks of the assemblies (artifact id, stack name or display name; * and ? match); repeatable")
          .argParser(collect)
          .default([]),
      )
      .option(
        "--tf-root <dir>",
        "Terraform: the root module's directory, where the resource blocks' .tf files are found (default: the working directory, then the plan's)",
      )
      .option("--allow-unresolved", "exit 0 rather than 3 when some checks depend on values not known before deploy", false),
  ).action(async (inputs: string[], opts: import("./plan.js").PlanOptions & { failOn: FailOn }) => {
    const { runPlan } = await import("./plan.js");
    reportVerdict(await runPlan(inputs, opts, stderr));
  });

  program
    .command("merge")
    .description("join snapshots collected separately (per account or region) into one")
    .argument("<snapshots...>", "snapshot files")
    .requiredOption("-o, --output <file>", 'merged snapshot file ("-" = stdout)')
    .action(async (files: string[], opts: { output: string }) => {
      const { runMerge } = await import("./collect.js");
      const merged = await runMerge(files, opts.output);
      const regions = merged.accounts.reduce((n, a) => n + a.regions.length, 0);
      stderr(`sagegate: merged ${files.length} snapshots: ${merged.accounts.length} accounts, ${regions} regions`);
    });

  const rules = program.command("rules").description("list and test the rule catalogue");
  rules
    .command("list")
    .description("list the rules")
    .option("-r, --rules <dir>", "rules directory (default: the bundled catalogue)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json", "markdown"]).default("table"))
    .action((opts: { rules?: string; format: string }) => {
      process.stdout.write(listRules(loadRuleSet(opts.rules), opts.format));
    });
  rules
    .command("test")
    .description("run the test cases that live next to each rule")
    .argument("[ids...]", "only these rule ids")
    .option("-r, --rules <dir>", "rules directory (default: the bundled catalogue)")
    .action((ids: string[], opts: { rules?: string }) => {
      process.exitCode = testRules(opts.rules, ids, (s) => process.stdout.write(s));
    });

  program
    .command("validate")
    .description("check a snapshot, configuration, rules directory, rule, rule-tests or definitions file")
    .argument("<files...>", "files to check")
    .addOption(new Option("--kind <kind>", "what the files are (default: guessed from the name)").choices([...KINDS]))
    .action((files: string[], opts: { kind?: Kind }) => {
      for (const file of files) process.stdout.write(validateFile(file, opts.kind) + "\n");
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : ExitCode.ok;
  } catch (err) {
    removePendingTempFiles();
    if (err instanceof CommanderError) {
      // Help and --version exit 0; everything commander rejects is bad usage.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
    }
    if (isSagegateError(err)) {
      stderr(`sagegate: ${err.format()}`);
      return err.exitCode;
    }
    stderr(`sagegate: internal error (please report it): ${redact(err instanceof Error ? (err.stack ?? err.message) : String(err))}`);
    return 70;
  }
}

function onSignal(signal: "SIGINT" | "SIGTERM", code: number): void {
  process.on(signal, () => {
    removePendingTempFiles();
    stderr(`sagegate: interrupted by ${signal}; no report or snapshot was written`);
    process.exit(code);
  });
}

// Run only as the entry point, so tests can import buildProgram/main.
// A larger young generation: evaluation makes many short-lived objects (one per resource and
// result), and the default 16 MiB semi-space spends a tenth of a large run in scavenges.
setFlagsFromString("--max-semi-space-size=32");

if (process.argv[1] && import.meta.url === (await import("node:url")).pathToFileURL((await import("node:fs")).realpathSync(process.argv[1])).href) {
  onSignal("SIGINT", ExitCode.interrupted);
  onSignal("SIGTERM", ExitCode.terminated);
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
}
