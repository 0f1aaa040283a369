// `sagegate plan cdk.out` on the CDK test app (cdk-app/app.ts), synthesized here with aws-cdk-lib:
// every catalogue rule's result per construct path, through the built CLI as a user runs it.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Ajv } from "ajv";
import { readJson, ROOT, runCli, withoutWrote } from "../helpers.js";
import { synthesize } from "./cdk-app/app.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll } from "vitest";

let dir: string;
let outdir: string;
let config: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sagegate-cdk-"));
  outdir = join(dir, "cdk.out");
  synthesize(outdir);
  config = join(dir, "sagegate.config.yaml");
  writeFileSync(config, "tagPrefix: acme-ml\ncompany: acme\nteams: [rc]\nprojects: [rc-fraud-detection]\n");
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Result = {
  ruleId: string;
  status: string;
  resource: { type: string; id: string; source?: { file: string; line: number; cdkPath?: string; logicalId?: string } };
  unresolved?: unknown[];
};

function plan(extra: string[] = []): { code: number; results: Result[]; report: any; stderr: string } {
  const out = join(dir, `report-${extra.join("-").replace(/[^a-z]/gi, "")}.json`);
  const r = runCli(["plan", outdir, "--config", config, "-f", "json", "-o", out, "--fail-on", "none", ...extra], { cwd: dir });
  const report = readJson(out);
  return { code: r.code, results: report.results, report, stderr: withoutWrote(r.stderr) };
}

/** "RULE status" per construct path (the path's last meaningful segment). */
function byConstruct(results: Result[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const r of results) {
    const path = r.resource.source?.cdkPath ?? r.resource.id;
    const name = path.replace(/^\/Workloads\//, "").replace(/\/(Resource|Default)$/, "");
    (out[name] ??= {})[r.ruleId] = r.status;
  }
  return out;
}

describe("sagegate plan on a CDK assembly", () => {
  it("gives the expected result of every baseline rule per construct", () => {
    const { code, results, stderr } = plan();
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const got = byConstruct(results);
    expect(got).toEqual({
      Vpc: { SG001: "pass", SG011: "pass" },
      TrainingSg: { SG002: "pass", SG003: "pass", SG004: "pass", SG009: "pass", SG010: "pass" },
      ProcessingSg: { SG002: "pass", SG005: "fail", SG006: "fail", SG009: "fail", SG010: "fail" },
      // CDK's placeholder egress is no flow: SG008 passes, and SG010 misses TCP 443 out.
      InferenceSg: { SG002: "pass", SG007: "pass", SG008: "pass", SG009: "pass", SG010: "fail" },
      ProjectSg: { SG002: "fail" },
      InferenceRepo: { ECR001: "pass", ECR002: "pass", ECR003: "pass" },
      ScratchRepo: { ECR001: "fail", ECR002: "fail", ECR003: "fail" },
      TrainingLogs: { LOG001: "pass" },
      ProcessingLogs: { LOG001: "fail" },
      EndpointLogs: { LOG001: "pass", LOG002: "pass" },
      AdhocEndpointLogs: { LOG001: "pass", LOG002: "fail" },
      PlatformKey: { KMS001: "pass", KMS002: "pass", KMS003: "pass", KMS004: "pass" },
      LooseKey: { KMS001: "pass", KMS002: "fail", KMS003: "fail", KMS004: "fail" },
      RegistryGroup: { MR001: "pass", MR002: "fail", MR003: "fail", MR004: "pass" },
      // The project's group exists (MR005 is about the configured project, not a construct).
      AdhocGroup: { MR001: "fail" },
      "rc-fraud-detection": { MR005: "pass" },
      ServedModel: { ECR005: "pass", WL003: "pass" },
      LatestModel: { ECR005: "fail", WL003: "fail" },
      RealtimeEndpoint: { MR006: "pass", WL004: "pass" },
      CanaryEndpoint: { MR006: "fail", WL004: "fail" },
    });
    // Rules about data no template holds give no result: images (ECR004), jobs (WL001, WL002).
    for (const id of ["ECR004", "WL001", "WL002"]) expect(results.filter((r) => r.ruleId === id)).toEqual([]);
  });

  it("evaluates the high-security rules too", () => {
    const hs = join(dir, "high-security.yaml");
    writeFileSync(hs, readFileSync(config, "utf8") + "profile: high-security\n");
    const r = runCli(["plan", outdir, "--config", hs, "-f", "json", "--fail-on", "none"], { cwd: dir });
    const got = byConstruct(JSON.parse(r.stdout).results);
    expect(got.InferenceRepo!.ECR006).toBe("pass");
    expect(got.ScratchRepo!.ECR006).toBe("fail");
    expect(got.PlatformKey!.KMS005).toBe("pass");
    expect(got.LooseKey!.KMS005).toBe("fail");
    expect(got.TrainingLogs!.LOG003).toBe("pass");
    expect(got.ProcessingLogs!.LOG003).toBe("fail");
  });

  it("points every result at the template line of its logical id, with the construct path", () => {
    const { results } = plan();
    const template = readFileSync(join(outdir, "Workloads.template.json"), "utf8").split("\n");
    for (const r of results.filter((x) => x.resource.source)) {
      const s = r.resource.source!;
      expect(s.file).toBe("cdk.out/Workloads.template.json");
      expect(template[s.line - 1]).toContain(`"${s.logicalId}": {`);
      expect(s.cdkPath).toMatch(/^\/Workloads\//);
    }
  });

  it("writes a JSON report that matches its schema, byte-identical across runs", () => {
    const a = runCli(["plan", outdir, "--config", config, "-f", "json", "--fail-on", "none"], { cwd: dir });
    const b = runCli(["plan", outdir, "--config", config, "-f", "json", "--fail-on", "none"], { cwd: dir });
    expect(a.stdout).toBe(b.stdout);
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(readJson(join(ROOT, "schemas/report.schema.json")));
    expect(validate(JSON.parse(a.stdout)), JSON.stringify(validate.errors)).toBe(true);
  });
});
