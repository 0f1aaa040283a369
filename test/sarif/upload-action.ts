// Runs GitHub's own upload-sarif action (github/codeql-action) on a SARIF file, as a workflow step
// would, and collects what it prints. Nothing of the action is part of this repository: point
// SAGEGATE_CODEQL_ACTION_DIR at a checkout of github/codeql-action whose `lib/` is built (a release
// tag such as v4.36.2 has it committed). See README.md here for where it comes from and how to run it.
//
// The action runs whole (lib/upload-sarif-entry.js): input handling, SARIF validation against its
// schema, the check that runs of one file have distinct categories, combining when given a folder,
// fingerprinting against the checkout, the category, the per-job category check. Its own test mode
// (CODEQL_ACTION_TEST_MODE) stops it before the HTTP upload and writes the payload it would have
// sent to $RUNNER_TEMP, from which the processed SARIF is read back.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";

/** The checkout of github/codeql-action, when one is given. */
export const ACTION_DIR = process.env.SAGEGATE_CODEQL_ACTION_DIR ? resolve(process.env.SAGEGATE_CODEQL_ACTION_DIR) : undefined;

/** Why the tests that need the action are skipped, or undefined when they can run. */
export function actionUnavailable(): string | undefined {
  if (ACTION_DIR === undefined) {
    return "SAGEGATE_CODEQL_ACTION_DIR is not set (a checkout of github/codeql-action with lib/ built; see test/sarif/README.md)";
  }
  if (!existsSync(join(ACTION_DIR, "lib", "upload-sarif-entry.js")))
    return `${ACTION_DIR}/lib/upload-sarif-entry.js not found: build lib/ or check out a release tag`;
  return undefined;
}

/** The version the checkout says it is (its package.json). */
export function actionVersion(): string {
  return (JSON.parse(readFileSync(join(ACTION_DIR!, "package.json"), "utf8")) as { version: string }).version;
}

export interface UploadStep {
  /** `sarif_file`: a file or a folder of .sarif files. */
  sarif: string;
  /** `checkout_path`: the repository as checked out. */
  checkout: string;
  /** `category`, when the workflow gives one. */
  category?: string;
  /** The job's matrix (`toJson(matrix)`), as the action's default input gives it. */
  matrix?: Record<string, string>;
  /** Variables earlier steps of the same job exported (`::set-env`), for the per-job category check. */
  jobEnv?: Record<string, string>;
}

export interface UploadOutcome {
  exitCode: number | null;
  /** `::warning::` lines, and the schema validator's "Warning:" lines (it logs those as info). */
  warnings: string[];
  /** `::error::` lines. */
  errors: string[];
  /** Everything it printed, for failure messages. */
  log: string;
  /** Variables it exported (`::set-env`), to pass to the next step of the same job. */
  exported: Record<string, string>;
  /** The SARIF it would have uploaded, after its processing (absent when it stopped before). */
  processed?: any;
}

/** Runs the upload-sarif action once, as one step of a scheduled workflow job on github.com. */
export function runUploadSarif(step: UploadStep): UploadOutcome {
  const temp = mkdtempSync(join(tmpdir(), "sagegate-upload-sarif-"));
  const runnerTemp = join(temp, "runner-temp");
  mkdirSync(runnerTemp);
  mkdirSync(join(temp, "tool-cache"));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: temp,
    // The action's own switch: everything but the HTTP upload; the payload goes to RUNNER_TEMP.
    CODEQL_ACTION_TEST_MODE: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: "https://api.github.com",
    GITHUB_REPOSITORY: "acme/ml-platform",
    GITHUB_WORKFLOW: "sagegate nightly",
    GITHUB_JOB: "scan",
    GITHUB_RUN_ID: "1",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_SHA: "0000000000000000000000000000000000000001",
    GITHUB_REF: "refs/heads/main",
    GITHUB_EVENT_NAME: "schedule",
    GITHUB_WORKSPACE: step.checkout,
    RUNNER_OS: "Linux",
    RUNNER_ARCH: "X64",
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: join(temp, "tool-cache"),
    // What the action would otherwise ask the API for (the workflow's path and the job).
    CODEQL_ACTION_ANALYSIS_KEY: ".github/workflows/nightly.yml:scan",
    INPUT_SARIF_FILE: step.sarif,
    INPUT_CHECKOUT_PATH: step.checkout,
    INPUT_TOKEN: "not-used-in-test-mode",
    INPUT_MATRIX: step.matrix ? JSON.stringify(step.matrix) : "null",
    "INPUT_WAIT-FOR-PROCESSING": "true",
    ...(step.category !== undefined ? { INPUT_CATEGORY: step.category } : {}),
    ...step.jobEnv,
  };
  const r = spawnSync(process.execPath, [join(ACTION_DIR!, "lib", "upload-sarif-entry.js")], {
    env,
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  const log = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  const lines = log.split("\n");
  const exported: Record<string, string> = {};
  for (const line of lines) {
    const m = /^::set-env name=([^:]+)::(.*)$/.exec(line);
    if (m) exported[m[1]!] = m[2]!;
  }
  const outcome: UploadOutcome = {
    exitCode: r.status,
    warnings: lines.filter((l) => l.startsWith("::warning") || /^Warning: /.test(l)),
    errors: lines.filter((l) => l.startsWith("::error")),
    log,
    exported,
  };
  const payloadFile = join(runnerTemp, "payload-code-scanning.json");
  if (existsSync(payloadFile)) {
    const payload = JSON.parse(readFileSync(payloadFile, "utf8")) as { sarif: string };
    outcome.processed = JSON.parse(gunzipSync(Buffer.from(payload.sarif, "base64")).toString("utf8"));
  }
  return outcome;
}

/** The identity GitHub gives each alert of a processed log: tool, category, rule, path and fingerprint. */
export function alertIdentities(processed: any): string[] {
  return (processed.runs as any[]).flatMap((run) =>
    (run.results as any[]).map((res) =>
      [
        run.tool.driver.name,
        run.automationDetails?.id ?? "",
        res.ruleId,
        res.locations[0].physicalLocation.artifactLocation.uri,
        res.partialFingerprints?.primaryLocationLineHash ?? "",
      ].join(" | "),
    ),
  );
}
