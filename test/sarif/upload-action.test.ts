// sagegate's SARIF through GitHub's own upload-sarif action (github/codeql-action), run whole in
// its test mode: zero warnings and zero errors for the demo and the incomplete fixture, with the
// snapshot in the checkout and without; its category handling; alerts of one night still there
// the next. Needs SAGEGATE_CODEQL_ACTION_DIR (see README.md here); skipped, saying why, without.
// The same properties are asserted from sagegate's own output, without the action, in sarif.test.ts.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/report/model.js";
import { writeSarifReport } from "../../src/report/sarif.js";
import { StringSink } from "../../src/report/sink.js";
import { prepareRules } from "../../src/cli/evaluate.js";
import { evaluate } from "../../src/evaluate/engine.js";
import { snapshotFromObject } from "../../src/snapshot/read.js";
import { fingerprint } from "../../src/report/sarif-identity.js";
import { DEMO_CONFIG, DEMO_SNAPSHOT, ROOT, runCli } from "../helpers.js";
import { FIXTURES, nightly, readDoc, suiteDir, withAccount, withRegionCopy } from "./scenarios.js";
import { actionUnavailable, actionVersion, alertIdentities, runUploadSarif, type UploadOutcome } from "./upload-action.js";

/** The configuration of the plan tests (test/plan/*.test.ts). */
const PLAN_CONFIG_TEXT = "tagPrefix: acme-ml\ncompany: acme\nteams: [rc]\nprojects: [rc-fraud-detection]\n";

const unavailable = actionUnavailable();
if (unavailable) console.log(`test/sarif/upload-action.test.ts: skipped: ${unavailable}`);

function expectQuiet(outcome: UploadOutcome): void {
  expect(outcome.errors, outcome.log.slice(-3000)).toEqual([]);
  expect(outcome.warnings, outcome.log.slice(-3000)).toEqual([]);
  expect(outcome.exitCode, outcome.log.slice(-3000)).toBe(0);
  expect(outcome.processed, "the payload the action would have uploaded").toBeDefined();
}

describe.skipIf(unavailable !== undefined)(`upload-sarif (github/codeql-action ${unavailable ? "" : actionVersion()}) on sagegate's SARIF`, () => {
  for (const [name, fixture] of Object.entries(FIXTURES)) {
    for (const keepSnapshot of [true, false]) {
      it(`${name}, snapshot ${keepSnapshot ? "in the checkout" : "not in the checkout"}: no warning, no error, sagegate's fingerprints kept`, () => {
        const job = nightly(readDoc(fixture.snapshot), fixture.config, { keepSnapshot });
        expect(job.code).toBe(0);
        const outcome = runUploadSarif({ sarif: job.sarif, checkout: job.dir });
        expectQuiet(outcome);
        // It validated, found nothing to hash (no result points at a file of the checkout) and kept every fingerprint.
        expect(outcome.log).toMatch(/^Validating .*\.sarif$/m);
        expect(outcome.log).toMatch(/Adding fingerprints to SARIF file/);
        const before = job.log.runs[0].results.map((r: any) => r.partialFingerprints.primaryLocationLineHash);
        const after = outcome.processed.runs[0].results.map((r: any) => r.partialFingerprints.primaryLocationLineHash);
        expect(after).toEqual(before);
        expect(before.length).toBeGreaterThan(20);
        // Without --category, the workflow's category applies (here the action's default: workflow and job).
        expect(outcome.processed.runs[0].automationDetails).toEqual({ id: ".github/workflows/nightly.yml:scan/" });
      }, 60_000);
    }
  }

  it("takes the workflow's category: input, and sagegate's --category over it", () => {
    const doc = readDoc(DEMO_SNAPSHOT);
    const plain = nightly(doc, DEMO_CONFIG, { keepSnapshot: true });
    const input = runUploadSarif({ sarif: plain.sarif, checkout: plain.dir, category: "aws-111122223333" });
    expectQuiet(input);
    expect(input.processed.runs[0].automationDetails).toEqual({ id: "aws-111122223333/" });
    const own = nightly(doc, DEMO_CONFIG, { keepSnapshot: true, args: ["--category", "pre-deploy"] });
    const both = runUploadSarif({ sarif: own.sarif, checkout: own.dir, category: "aws-111122223333" });
    expectQuiet(both);
    expect(both.processed.runs[0].automationDetails.id).toBe("pre-deploy/");
  }, 60_000);

  it("one category per account: two uploads in one job pass its per-job check, one folder of both combines; the same category twice aborts", () => {
    const doc = readDoc(FIXTURES.incomplete.snapshot);
    const accounts = ["111122223333", "444455556666"];
    const jobs = accounts.map((a) => nightly(withAccount(doc, a), FIXTURES.incomplete.config, { keepSnapshot: true, name: `aws-${a}` }));
    // Two steps of the same job, each with its account's category.
    const first = runUploadSarif({ sarif: jobs[0]!.sarif, checkout: jobs[0]!.dir, category: `aws-${accounts[0]}` });
    expectQuiet(first);
    const second = runUploadSarif({ sarif: jobs[1]!.sarif, checkout: jobs[1]!.dir, category: `aws-${accounts[1]}`, jobEnv: first.exported });
    expectQuiet(second);
    // The check is real: the same category again in that job aborts the upload.
    const again = runUploadSarif({ sarif: jobs[1]!.sarif, checkout: jobs[1]!.dir, category: `aws-${accounts[0]}`, jobEnv: first.exported });
    expect(again.errors.join("\n")).toMatch(/only one run of the codeql\/analyze or codeql\/upload-sarif actions is allowed per job per tool\/category/);
    // One folder holding both logs, each with its own --category: combined into one upload of two runs.
    const folder = join(suiteDir(), "sarif");
    mkdirSync(folder);
    const own = accounts.map((a) =>
      nightly(withAccount(doc, a), FIXTURES.incomplete.config, { keepSnapshot: false, name: a, args: ["--category", `aws-${a}`] }),
    );
    own.forEach((j, i) => cpSync(j.sarif, join(folder, `aws-${accounts[i]}.sarif`)));
    const combined = runUploadSarif({ sarif: folder, checkout: own[0]!.dir });
    expectQuiet(combined);
    expect(combined.processed.runs.map((r: any) => r.automationDetails.id)).toEqual(accounts.map((a) => `aws-${a}/`));
  }, 120_000);

  it("two nightly runs, the second with one more region: every alert of the first is in the second", () => {
    const doc = readDoc(DEMO_SNAPSHOT);
    const matrix = { account: "111122223333", name: "ml-prod" };
    const night1 = nightly(doc, DEMO_CONFIG, { keepSnapshot: true, name: "night1" });
    const night2 = nightly(withRegionCopy(doc, "eu-west-1", "eu-central-1"), DEMO_CONFIG, { keepSnapshot: true, name: "night2" });
    const up1 = runUploadSarif({ sarif: night1.sarif, checkout: night1.dir, category: "sagegate/ml-prod", matrix });
    const up2 = runUploadSarif({ sarif: night2.sarif, checkout: night2.dir, category: "sagegate/ml-prod", matrix });
    expectQuiet(up1);
    expectQuiet(up2);
    const first = alertIdentities(up1.processed);
    const second = new Set(alertIdentities(up2.processed));
    expect(first.length).toBeGreaterThan(10);
    expect(first.filter((a) => !second.has(a))).toEqual([]);
    expect(second.size).toBeGreaterThan(first.length); // the new region's findings
  }, 120_000);

  it("a planned resource points at its declaration in the checkout: the action hashes that line without a warning, sagegate/v1 kept", () => {
    // A hand-built result carrying a source: the action finds the template and computes its own
    // line hash; since sagegate writes no primaryLocationLineHash there, it does so silently.
    const base = suiteDir();
    const dir = join(base, "repo");
    mkdirSync(join(dir, "infra"), { recursive: true });
    writeFileSync(
      join(dir, "infra", "ml.yaml"),
      "Resources:\n  TrainingSG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupName: acme-ml-training\n",
    );
    const { config, rules } = prepareRules({ config: DEMO_CONFIG });
    const snapshot = snapshotFromObject(readDoc(DEMO_SNAPSHOT));
    const evaluation = evaluate(snapshot, rules, config);
    const fail = evaluation.results.find((r) => r.status === "fail" && r.resource.type === "AWS::EC2::SecurityGroup")!;
    fail.resource.source = { file: "infra/ml.yaml", line: 2, endLine: 5, logicalId: "TrainingSG" };
    fail.resource.planned = true;
    const report = buildReport({ snapshot, evaluation: { ...evaluation, results: [fail] }, profile: config.profile });
    const sink = new StringSink();
    writeSarifReport(report, sink);
    const file = join(base, "plan.sarif");
    writeFileSync(file, sink.text());
    const outcome = runUploadSarif({ sarif: file, checkout: dir });
    expectQuiet(outcome);
    const res = JSON.parse(sink.text()).runs[0].results[0];
    expect(res.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "infra/ml.yaml" }, region: { startLine: 2, endLine: 5 } });
    expect(res.partialFingerprints).toEqual({ "sagegate/v1": fingerprint(fail.rule.def.id, fail.resource) });
    const processed = outcome.processed.runs[0].results[0].partialFingerprints;
    expect(processed["sagegate/v1"]).toBe(res.partialFingerprints["sagegate/v1"]);
    expect(processed.primaryLocationLineHash).toMatch(/^[0-9a-f]+:1$/); // the action's own
  }, 60_000);

  for (const [name, input, extra] of [
    ["CloudFormation templates", "test/plan/templates/workloads.yaml", []],
    ["a Terraform plan", "test/plan/terraform/workloads/plan-1.2.json", ["--tf-root", "test/plan/terraform/workloads"]],
    ["a SageMaker pipeline definition", "test/plan/pipelines/fraud-detection.json", ["--live", "test/plan/pipelines/live.json"]],
  ] as const) {
    it(`sagegate plan on ${name}: no warning, no error, every result on its declaration in the checkout`, () => {
      // The repository is the checkout: the declarations are files the action can read and hash.
      const base = suiteDir();
      const sarif = join(base, "plan.sarif");
      const config = join(base, "sagegate.config.yaml");
      writeFileSync(config, PLAN_CONFIG_TEXT);
      const r = runCli(["plan", input, ...extra, "--config", config, "-f", "sarif", "-o", sarif, "--fail-on", "none", "--allow-unresolved"]);
      expect(r.code, r.stderr).toBe(0);
      const outcome = runUploadSarif({ sarif, checkout: ROOT });
      expectQuiet(outcome);
      const results = outcome.processed.runs[0].results;
      expect(results.length).toBeGreaterThan(0);
      for (const res of results) {
        expect(res.locations[0].physicalLocation.artifactLocation.uri.startsWith("aws/")).toBe(false);
        expect(res.partialFingerprints["sagegate/v1"]).toMatch(/^[0-9a-f]{16}:1$/);
        expect(res.partialFingerprints.primaryLocationLineHash).toBeDefined();
      }
    }, 60_000);
  }
});
