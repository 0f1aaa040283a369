#!/usr/bin/env node
// sagegate command line. Argument parsing is commander's (subcommands, help, "did you mean"),
// with extra-typings: each action's options are typed from the option definitions, so they are
// checked against what the stages take (EvaluateOptions, CollectCliOptions). This file wires
// commands to the stages and turns typed errors into one line and an exit code.
import { setFlagsFromString } from "node:v8";
import { Command, CommanderError, Option, type OptionValues } from "@commander-js/extra-typings";
import { ExitCode, isSagegateError } from "../errors.js";
import { removePendingTempFiles } from "../io/files.js";
import { redact } from "../collect/redact.js";
import { loadRuleSources } from "../rules/bundle.js";
import { TOOL } from "../version.js";
import { FORMATS, ruleSource, runEvaluate } from "./evaluate.js";
import { listRules, showRule, testRules } from "./rules.js";
import { addCollectOptions } from "./collect-options.js";
import { KINDS, validateFiles } from "./validate.js";
import { SEVERITIES } from "../rules/types.js";
import { loadConfig } from "../config/config.js";
import { docsBase } from "../rules/links.js";
import { plural } from "../report/text.js";
import type { Verdict } from "../report/gate.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

function stderr(text: string): void {
  process.stderr.write(text.endsWith("\n") ? text : text + "\n");
}

/** Where rules come from: the bundled catalogue plus --rules DIRs (evaluate, scan, rules …). */
export function addRuleSourceOptions<Args extends unknown[], Opts extends OptionValues>(cmd: Command<Args, Opts>) {
  return cmd
    .addOption(
      new Option("-r, --rules <dir>", "also use the rules in this directory (repeatable; added to the bundled catalogue)")
        .argParser(collect)
        .default([] as string[]),
    )
    .option("--no-builtin-rules", "use only the --rules directories, not the bundled catalogue");
}

/** Options shared by evaluate and scan. */
export function addEvaluateOptions<Args extends unknown[], Opts extends OptionValues>(cmd: Command<Args, Opts>) {
  return addRuleSourceOptions(cmd.option("-c, --config <file>", "configuration file (default: sagegate.config.yaml or .yml in the working directory)"))
    .addOption(
      new Option("--rule <id>", "run only these rules: ids or globs such as SG* (repeatable, or comma-separated)").argParser(collect).default([] as string[]),
    )
    .addOption(
      new Option("--skip-rule <id>", "do not run these rules: ids or globs (repeatable, or comma-separated)").argParser(collect).default([] as string[]),
    )
    .addOption(new Option("--profile <profile>", "rule profile, overriding the configuration's").choices(["baseline", "high-security"]))
    .addOption(new Option("-f, --format <format>", `report format, repeatable: ${FORMATS.join(", ")}`).argParser(collect).default([] as string[], "table"))
    .addOption(
      new Option("-o, --output <file>", 'report file for the format in the same position ("-" = stdout), repeatable')
        .argParser(collect)
        .default([] as string[]),
    )
    .addOption(new Option("--fail-on <severity>", "exit 1 when a check at or above this severity fails").choices([...SEVERITIES, "none"]).default("low"))
    .option("--allow-incomplete", "exit 0 rather than 3 when some checks could not be evaluated", false)
    .option(
      "--allow-empty-scope",
      "exit 0 rather than 3 when a rule area, or a configured VPC or project, checked nothing (the warning is still printed)",
      false,
    )
    .option("-w, --waivers <file>", "waivers file (default: sagegate.waivers.yaml in the working directory, if present)")
    .option("--strict-waivers", "also fail the gate on expired or unused waivers", false)
    .option("-b, --baseline <report.json>", "a previous JSON report: mark findings new or unchanged and count fixed ones")
    .option("--fail-on-new", "fail the gate only on failures that are not in the baseline", false)
    .option(
      "--last-report <report.json>",
      "SARIF: the previous run's JSON report, when there is no baseline: its failures that cannot be evaluated now stay open",
    )
    .option(
      "--category <id>",
      "SARIF: code scanning category (automationDetails.id), wins over upload-sarif's category input (default: none, so upload-sarif's applies)",
    )
    .option("--repo-root <dir>", "SARIF: repository root the snapshot's path is written relative to (default: the working directory)")
    .option("--sarif-include-waived", "SARIF: include waived results with suppressions (GitHub ignores suppressions, so they are left out by default)", false)
    .option("--sarif-max-results <n>", "SARIF: at most this many results, the most severe first (1 to 25000; default 5000, what GitHub keeps of a run)")
    .option("--no-color", "no colour in the table (NO_COLOR and FORCE_COLOR=0 do the same)");
}

/** --no-color works like NO_COLOR, which the table reads. */
function applyColor(opts: { color?: boolean }): void {
  if (opts.color === false) process.env.NO_COLOR = "1";
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
  ).action(async (snapshot, opts) => {
    applyColor(opts);
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
  ).action(async (opts) => {
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
  ).action(async (opts) => {
    applyColor(opts);
    const { runScan } = await import("./collect.js");
    reportVerdict(await runScan(opts, stderr));
  });

  program
    .command("merge")
    .description("join snapshots collected separately (per account or region) into one")
    .argument("<snapshots...>", "snapshot files")
    .requiredOption("-o, --output <file>", 'merged snapshot file ("-" = stdout)')
    .action(async (files, opts) => {
      const { runMerge } = await import("./collect.js");
      const merged = await runMerge(files, opts.output);
      const regions = merged.accounts.reduce((n, a) => n + a.regions.length, 0);
      stderr(`sagegate: merged ${files.length} snapshots: ${plural(merged.accounts.length, "account")}, ${plural(regions, "region")}`);
    });

  const rules = program.command("rules").description("list, show and test the rule catalogue");
  addRuleSourceOptions(
    rules
      .command("list")
      .description("list the rules")
      .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json", "markdown"]).default("table")),
  ).action((opts) => {
    const set = loadRuleSources(ruleSource(opts));
    process.stdout.write(listRules(set, opts.format, opts.format === "markdown" ? docsBase(undefined) : ""));
  });
  addRuleSourceOptions(
    rules
      .command("show")
      .description("print a rule as a reviewer reads it: the design's words in Chinese and English, why, how to fix, what it checks, its cases")
      .argument("<id>", "rule id")
      .option("-c, --config <file>", "fill the fix and the condition with this configuration's values"),
  ).action((id, opts) => {
    const set = loadRuleSources(ruleSource(opts));
    const config = opts.config !== undefined ? loadConfig(opts.config) : undefined;
    const width =
      process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : /^\d+$/.test(process.env.COLUMNS ?? "") ? Number(process.env.COLUMNS) : 80;
    process.stdout.write(showRule(set, id, config, Math.max(60, width)));
  });
  addRuleSourceOptions(
    rules.command("test").description("run the test cases that live next to each rule").argument("[ids...]", "only these rules (ids or globs such as SG*)"),
  ).action((ids, opts) => {
    process.exitCode = testRules(loadRuleSources(ruleSource(opts)), ids, (s) => process.stdout.write(s));
  });

  program
    .command("init")
    .description("write a commented sagegate.config.yaml and an empty sagegate.waivers.yaml (never overwriting a file)")
    .option("--from <snapshot>", "propose tagPrefix, company, teams, projects and vpcIds from the names in this snapshot")
    .option("--dir <dir>", "write into this directory (default: the working directory)")
    .action(async (opts) => {
      const { runInit } = await import("./init.js");
      process.exitCode = runInit(opts, stderr);
    });

  program
    .command("validate")
    .description("check snapshots, configurations, waivers files, JSON reports, rules directories, rules, rule tests and definitions")
    .argument("<files...>", "files to check; each is checked, and every problem listed (up to 20 per file)")
    .addOption(new Option("--kind <kind>", "what the files are (default: told from their content)").choices([...KINDS]))
    .action((files, opts) => {
      process.exitCode = validateFiles(files, opts.kind, { out: (line) => process.stdout.write(line + "\n"), err: stderr });
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
    return ExitCode.internalError;
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

/**
 * A reader that closed standard output (`sagegate rules list | head -1`) is not an error: what
 * it did not read is dropped, and the run ends with its own exit code. Reports and snapshots
 * written to "-" drop the rest the same way (io/files.ts InPlaceFile).
 */
function ignoreClosedStdout(): void {
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED") return;
    throw err;
  });
}

if (process.argv[1] && import.meta.url === (await import("node:url")).pathToFileURL((await import("node:fs")).realpathSync(process.argv[1])).href) {
  onSignal("SIGINT", ExitCode.interrupted);
  onSignal("SIGTERM", ExitCode.terminated);
  ignoreClosedStdout();
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
}
