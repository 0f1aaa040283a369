// `sagegate collect`, `scan` and `merge` through the built CLI against the loopback AWS server,
// configured as a user would: AWS_ENDPOINT_URL, static credentials in the environment.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, DEMO_CONFIG, DEMO_SNAPSHOT, readJson, ROOT, runCli, tempDir, type RunResult } from "../helpers.js";
import { cliEnv, demoFixture, server } from "./harness.js";

/** Runs the CLI without blocking the event loop (the AWS server runs in this process). */
function runCliAsync(args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

const REGIONS = ["--regions", "eu-west-1,us-east-1", "--since", "2026-11-01"];
type Result = { ruleId: string; status: string; message: string; resource: { type: string; id: string; region: string } };
const findings = (report: { results: Result[] }) => report.results.map((r) => `${r.ruleId} ${r.resource.region} ${r.resource.id} ${r.status} ${r.message}`);

describe("sagegate scan / collect / merge against the loopback AWS server", { timeout: 60_000 }, () => {
  it("scan gives the same findings as evaluate on the fixture snapshot, and keeps the snapshot with --snapshot-out", async () => {
    const s = await server();
    const dir = tempDir();
    const scan = await runCliAsync(
      ["scan", ...REGIONS, "--config", DEMO_CONFIG, "-f", "json", "-o", join(dir, "scan.json"), "--fail-on", "none", "--snapshot-out", join(dir, "snap.json")],
      cliEnv(s),
    );
    expect(scan.stderr).toMatch(
      /^sagegate: collected 52 resources from 1 account and 2 regions: \d+ API calls, 0 retries, 0 errors in [\d.]+ s\nsagegate: wrote \S+scan\.json \(json\)\n$/,
    );
    expect(scan.code).toBe(0);
    const evaluated = runCli(["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "-f", "json", "-o", join(dir, "eval.json"), "--fail-on", "none"]);
    expect(evaluated.code).toBe(0);
    const a = readJson(join(dir, "scan.json"));
    const b = readJson(join(dir, "eval.json"));
    expect(findings(a)).toEqual(findings(b));
    expect(a.summary).toEqual(b.summary);
    const kept = readJson(join(dir, "snap.json"));
    expect(kept.accounts).toEqual(demoFixture().accounts);
    // Gate behaviour is evaluate's: failures at the default threshold exit 1.
    const gate = await runCliAsync(["scan", ...REGIONS, "--config", DEMO_CONFIG, "-f", "json", "-o", join(dir, "gate.json")], cliEnv(s));
    expect(gate.code).toBe(1);
  });

  it("a scan with GetLifecyclePolicy denied finishes, reports error (never pass) for ECR002/ECR003 of those repositories, and exits 3", async () => {
    const s = await server({ faults: [{ kind: "access-denied", service: "ecr", operation: "GetLifecyclePolicy" }] });
    const dir = tempDir();
    const out = join(dir, "r.json");
    const r = await runCliAsync(["scan", ...REGIONS, "--config", DEMO_CONFIG, "-f", "json", "-o", out, "--fail-on", "none"], cliEnv(s));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/6 errors/);
    expect(r.stderr).toMatch(/sagegate: the scan is incomplete/);
    const report = readJson(out) as { results: Result[]; summary: { complete: boolean } };
    expect(report.summary.complete).toBe(false);
    const repos = demoFixture().accounts[0]!.regions[0]!.resources["AWS::ECR::Repository"]!.map((x) => x.repositoryName as string);
    for (const rule of ["ECR002", "ECR003"]) {
      const results = report.results.filter((x) => x.ruleId === rule);
      expect(results.map((x) => x.resource.id).sort()).toEqual([...repos].sort());
      for (const x of results) {
        expect(x.status).toBe("error");
        expect(x.message).toMatch(/GetLifecyclePolicy failed for .*: AccessDeniedException/);
      }
    }
    // Rules that need only the repository itself are still evaluated.
    expect(report.results.filter((x) => x.ruleId === "ECR001").every((x) => x.status !== "error")).toBe(true);
    expect(report.results.filter((x) => x.ruleId === "ECR004").every((x) => x.status !== "error")).toBe(true);
    // --allow-incomplete turns 3 into 0.
    const allowed = await runCliAsync(
      ["scan", ...REGIONS, "--config", DEMO_CONFIG, "-f", "json", "-o", out, "--fail-on", "none", "--allow-incomplete"],
      cliEnv(s),
    );
    expect(allowed.code).toBe(0);
  });

  it("collect writes the snapshot atomically, prints progress only when asked, and exits 3 when calls failed", async () => {
    const s = await server();
    const dir = tempDir();
    const file = join(dir, "snapshot.json");
    const quiet = await runCliAsync(["collect", ...REGIONS, "--output", file], cliEnv(s));
    expect(quiet.code).toBe(0);
    expect(quiet.stderr.trim().split("\n")).toHaveLength(1); // only the final line: stderr is not a terminal
    expect(readJson(file).accounts).toEqual(demoFixture().accounts);
    expect(readdirSync(dir)).toEqual(["snapshot.json"]);
    const loud = await runCliAsync(["collect", ...REGIONS, "--output", file, "--progress"], cliEnv(s));
    expect(loud.stderr).toMatch(/sagegate: 111122223333 eu-west-1 ecr: 6 Repository — ecr done: 6 resources, 13 calls, 0 errors/);
    expect(loud.stderr).toMatch(/sagegate: 111122223333 us-east-1 logs: 2 LogGroup/);
    const validate = runCli(["validate", file]);
    expect(validate.code).toBe(0);

    const denied = await server({ faults: [{ kind: "access-denied", service: "kms", operation: "GetKeyPolicy" }] });
    const partial = await runCliAsync(["collect", ...REGIONS, "--output", file], cliEnv(denied));
    expect(partial.code).toBe(3);
    expect(partial.stderr).toMatch(/the snapshot is incomplete: 5 AWS calls failed/);
    expect(readJson(file).accounts[0].regions[0].errors).toHaveLength(5);
  });

  it("exits 2 with one line when there are no credentials, and writes nothing", async () => {
    const s = await server();
    const dir = tempDir();
    const env = {
      ...cliEnv(s),
      AWS_ACCESS_KEY_ID: "",
      AWS_SECRET_ACCESS_KEY: "",
      AWS_CONTAINER_CREDENTIALS_FULL_URI: "",
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "",
      AWS_WEB_IDENTITY_TOKEN_FILE: "",
    };
    const r = await runCliAsync(["collect", "--regions", "eu-west-1", "--output", join(dir, "s.json")], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sagegate: no AWS credentials: .+\n$/);
    expect(readdirSync(dir)).toEqual([]);
    expect(s.requests).toBe(0);
  });

  it("exits 2 when STS refuses the role, naming it", async () => {
    const s = await server();
    const r = await runCliAsync(
      ["collect", "--regions", "eu-west-1", "--output", join(tempDir(), "s.json"), "--accounts", "999988887777", "--role-name", "sagegate-readonly"],
      cliEnv(s),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sagegate: cannot assume role arn:aws:iam::999988887777:role\/sagegate-readonly: AccessDenied: .+\n$/);
  });

  it("refuses bad usage before calling AWS", async () => {
    const s = await server();
    const cases: Array<[string[], RegExp]> = [
      [["collect", "--regions", "eu-west-1", "--all-regions"], /either --regions or --all-regions/],
      [["collect", "--regions", "Europe"], /not an AWS region name/],
      [["collect", "--since", "yesterday"], /--since "yesterday"/],
      [["collect", "--concurrency", "0"], /--concurrency must be a positive integer/],
      [["collect", "--max-in-flight", "0"], /--max-in-flight must be a positive integer/],
      [["collect", "--max-in-flight", "1.5"], /--max-in-flight must be a positive integer/],
      [["collect", "--accounts", "111122223333"], /--accounts needs --role-name/],
      [["collect", "--role-arn", "sagegate"], /not an IAM role ARN/],
      [["scan", "--config", "/nonexistent.yaml"], /nonexistent\.yaml/],
      // Output paths are checked before any AWS call (exit 2, naming them).
      [["collect", "--regions", "eu-west-1", "--output", ROOT], /: is a directory; --output needs a file name$/],
      [["scan", "--regions", "eu-west-1", "--config", DEMO_CONFIG, "--snapshot-out", ROOT], /: is a directory; --snapshot-out needs a file name$/],
      [
        ["scan", "--regions", "eu-west-1", "--config", DEMO_CONFIG, "-o", "package.json/r.json"],
        /package\.json\/r\.json: cannot be created: .*package\.json is not a directory$/,
      ],
      [["collect", "--regions", "eu-west-1", "--request-timeout", "0.0004"], /--request-timeout must be at least 0\.001 seconds/],
    ];
    for (const [args, message] of cases) {
      const r = await runCliAsync(args, cliEnv(s));
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trimEnd()).toMatch(message);
      expect(r.stderr.trimEnd().split("\n"), args.join(" ")).toHaveLength(1);
    }
    expect(s.requests).toBe(0);
  });

  it("merge joins per-region snapshots into the full one and refuses conflicting duplicates", async () => {
    const s = await server();
    const dir = tempDir();
    const eu = join(dir, "eu.json");
    const us = join(dir, "us.json");
    expect((await runCliAsync(["collect", "--regions", "eu-west-1", "--since", "2026-11-01", "-o", eu], cliEnv(s))).code).toBe(0);
    expect((await runCliAsync(["collect", "--regions", "us-east-1", "--since", "2026-11-01", "-o", us], cliEnv(s))).code).toBe(0);
    const all = join(dir, "all.json");
    const merged = runCli(["merge", us, eu, "--output", all]);
    expect(merged.code).toBe(0);
    expect(readJson(all).accounts).toEqual(demoFixture().accounts);
    // The same region twice with the same content is fine.
    expect(runCli(["merge", eu, all, "--output", join(dir, "again.json")]).code).toBe(0);
    // Different content for the same account and region is refused, naming both files.
    const changed = join(dir, "changed.json");
    writeFileSync(changed, readFileSync(eu, "utf8").replace('"retentionInDays": 90', '"retentionInDays": 30'));
    const conflict = runCli(["merge", all, changed, "--output", join(dir, "bad.json")]);
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toBe(
      `sagegate: account 111122223333 region eu-west-1 is in both ${all} and ${changed} with different content; merge one of them only\n`,
    );
    expect(existsSync(join(dir, "bad.json"))).toBe(false);
  });
});
