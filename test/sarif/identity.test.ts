// Where alerts point and what keeps them the same alert, asserted from sagegate's own output:
// every property that keeps GitHub's upload-sarif action quiet and alerts stable, without the
// action (upload-action.test.ts runs the action itself when a checkout of it is given).
import { existsSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prepareRules } from "../../src/cli/evaluate.js";
import { evaluate } from "../../src/evaluate/engine.js";
import { buildReport } from "../../src/report/model.js";
import { writeSarifReport } from "../../src/report/sarif.js";
import { StringSink } from "../../src/report/sink.js";
import { RESOURCE_TYPES } from "../../src/resources/catalog.js";
import { readSnapshotFile } from "../../src/snapshot/read.js";
import { fingerprint, notEvaluatedPath, pathSegment, resourcePath, sourceUri, typePath } from "../../src/report/sarif-identity.js";
import { DEMO_CONFIG, DEMO_SNAPSHOT } from "../helpers.js";
import { FIXTURES, nightly, readDoc, withRegionCopy } from "./scenarios.js";

describe("resource paths", () => {
  it("read as the resource: aws/<account>/<region>/<service>/<resource-type>/<id>", () => {
    expect(resourcePath({ accountId: "111122223333", region: "eu-west-1", type: "AWS::EC2::SecurityGroup", id: "sg-0proc000000000001" })).toBe(
      "aws/111122223333/eu-west-1/ec2/security-group/sg-0proc000000000001",
    );
    expect(
      resourcePath({ accountId: "111122223333", region: "eu-west-1", type: "AWS::Logs::LogGroup", id: "/aws/sagemaker/Endpoints/rc-fraud-detection-prod" }),
    ).toBe("aws/111122223333/eu-west-1/logs/log-group/~2Faws~2Fsagemaker~2FEndpoints~2Frc-fraud-detection-prod");
    expect(notEvaluatedPath("444455556666", "us-east-1")).toBe("aws/444455556666/us-east-1/not-evaluated");
  });

  it("name every resource type of the catalogue as its ARNs do", () => {
    const names = Object.fromEntries(RESOURCE_TYPES.map((t) => [t.type, typePath(t.type)]));
    expect(names).toEqual({
      "AWS::EC2::VPC": "ec2/vpc",
      "AWS::EC2::Subnet": "ec2/subnet",
      "AWS::EC2::SecurityGroup": "ec2/security-group",
      "AWS::ECR::Repository": "ecr/repository",
      "AWS::SageMaker::ModelPackageGroup": "sagemaker/model-package-group",
      "AWS::SageMaker::TrainingJob": "sagemaker/training-job",
      "AWS::SageMaker::ProcessingJob": "sagemaker/processing-job",
      "AWS::SageMaker::Model": "sagemaker/model",
      "AWS::SageMaker::Endpoint": "sagemaker/endpoint",
      "AWS::KMS::Key": "kms/key",
      "AWS::Logs::LogGroup": "logs/log-group",
    });
  });

  it("make any id one path segment that needs no percent-encoding, never . or .., different ids never the same", () => {
    fc.assert(
      // Any UTF-16 text, lone surrogates included.
      fc.property(
        fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 12 }),
        fc.string({ unit: "binary", maxLength: 12 }),
        (a, b) => {
          const sa = pathSegment(a);
          expect(sa).toMatch(/^[A-Za-z0-9._~-]+$/);
          expect(decodeURIComponent(sa)).toBe(sa);
          expect(sa).not.toMatch(/^\.{1,2}$/);
          // It can be read back, so two texts never share a segment.
          expect(decodeSegment(sa)).toBe(a);
          expect(decodeSegment(pathSegment(b))).toBe(b);
        },
      ),
      { numRuns: 2000 },
    );
    expect(["", ".", "..", "~", "a b", "é", "a/b", "a~2Fb", "\ud800", "\udfff", "\ufffd"].map(pathSegment)).toEqual([
      "~",
      "~2E",
      "~2E~2E",
      "~7E",
      "a~20b",
      "~C3~A9",
      "a~2Fb",
      "a~7E2Fb",
      "~UD800",
      "~UDFFF",
      "~EF~BF~BD",
    ]);
  });

  it("take a declaration's file only when it is repository-relative", () => {
    expect(sourceUri({ file: "infra/ml stack/template.yaml" })).toBe("infra/ml%20stack/template.yaml");
    expect(sourceUri({ file: "./cdk.out/App.template.json" })).toBe("cdk.out/App.template.json");
    for (const bad of ["/abs/template.yaml", "../elsewhere.yaml", "infra/../../x.yaml", "s3://bucket/t.yaml", "C:/t.yaml", ""])
      expect(sourceUri({ file: bad }), bad).toBeUndefined();
  });
});

describe("fingerprints", () => {
  const arn = "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-1";
  const source = { file: "infra/ml.yaml", line: 12, logicalId: "TrainingSG" };

  it("are rule + ARN for a resource read from AWS, even once its declaration is known", () => {
    expect(fingerprint("SG009", { arn })).toMatch(/^[0-9a-f]{16}:1$/);
    expect(fingerprint("SG009", { arn, source })).toBe(fingerprint("SG009", { arn }));
    expect(fingerprint("SG005", { arn })).not.toBe(fingerprint("SG009", { arn }));
  });

  it("are rule + file + logical id (or address) for a planned resource, whatever its line", () => {
    const planned = fingerprint("SG009", { arn, source, planned: true });
    expect(planned).not.toBe(fingerprint("SG009", { arn }));
    expect(fingerprint("SG009", { arn: "arn:other", source: { ...source, line: 40 }, planned: true })).toBe(planned);
    expect(fingerprint("SG009", { arn, source: { ...source, file: "infra/other.yaml" }, planned: true })).not.toBe(planned);
    const tf = { file: "main.tf", line: 3, address: "aws_security_group.training" };
    expect(fingerprint("SG009", { arn, source: tf, planned: true })).not.toBe(
      fingerprint("SG009", { arn, source: { ...tf, address: "aws_security_group.x" }, planned: true }),
    );
  });
});

describe("what keeps upload-sarif quiet, from sagegate's output", () => {
  for (const [name, fixture] of Object.entries(FIXTURES)) {
    it(`${name}: no result points at a file of the checkout (nothing for the action to hash), every result has its fingerprint`, () => {
      const job = nightly(readDoc(fixture.snapshot), fixture.config, { keepSnapshot: true });
      const run = job.log.runs[0];
      expect(job.log.runs).toHaveLength(1);
      expect(run.results.length).toBeGreaterThan(20);
      for (const res of run.results) {
        const uri: string = res.locations[0].physicalLocation.artifactLocation.uri;
        // The action decodes the URI and hashes the start line of the file it names, if it exists.
        expect(decodeURIComponent(uri)).toBe(uri);
        expect(uri.split("/")[0]).toBe("aws");
        expect(uri.split("/")).not.toContain("..");
        expect(existsSync(join(job.dir, uri)), uri).toBe(false);
        expect(res.locations[0].physicalLocation.region).toEqual({ startLine: 1 });
        expect(res.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:1$/);
        // The snapshot, which is in the checkout, is only ever a related location.
        for (const rel of res.relatedLocations ?? []) if (rel.physicalLocation.artifactLocation.uri === "snapshot.json") expect(rel.id).toBeGreaterThan(0);
      }
      expect(existsSync(join(job.dir, "aws"))).toBe(false);
      expect(existsSync(join(job.dir, "snapshot.json"))).toBe(true);
      // No category in the file: the workflow's category: applies.
      expect(run).not.toHaveProperty("automationDetails");
    });
  }

  it("two nightly runs, the second with one more region: every alert of the first is in the second", () => {
    const doc = readDoc(DEMO_SNAPSHOT);
    const night1 = nightly(doc, DEMO_CONFIG, { keepSnapshot: true, name: "night1" });
    const night2 = nightly(withRegionCopy(doc, "eu-west-1", "eu-central-1"), DEMO_CONFIG, { keepSnapshot: true, name: "night2" });
    const identities = (log: any) =>
      log.runs[0].results.map((r: any) =>
        [
          log.runs[0].automationDetails?.id ?? "",
          r.ruleId,
          r.locations[0].physicalLocation.artifactLocation.uri,
          r.partialFingerprints.primaryLocationLineHash,
        ].join(" "),
      );
    const first = identities(night1.log);
    const second = new Set(identities(night2.log));
    expect(first.length).toBeGreaterThan(10);
    expect(first.filter((a: string) => !second.has(a))).toEqual([]);
    expect(second.size).toBe(2 * first.length); // the copied region's findings are alerts of their own
  });
});

/** The inverse of pathSegment, to show it loses nothing. */
function decodeSegment(segment: string): string {
  if (segment === "~") return "";
  let out = "";
  let bytes: number[] = [];
  const flush = () => {
    out += Buffer.from(bytes).toString("utf8");
    bytes = [];
  };
  for (let i = 0; i < segment.length;) {
    if (segment.startsWith("~U", i)) {
      flush();
      out += String.fromCharCode(parseInt(segment.slice(i + 2, i + 6), 16));
      i += 6;
    } else if (segment[i] === "~") {
      bytes.push(parseInt(segment.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      flush();
      out += segment[i++];
    }
  }
  flush();
  return out;
}

describe("results in-process", () => {
  const sarifOf = (report: Parameters<typeof writeSarifReport>[0]) => {
    const sink = new StringSink();
    writeSarifReport(report, sink);
    return JSON.parse(sink.text());
  };

  it("a resource with a declaration points at it, with its resource path and its snapshot object as related locations", () => {
    const { config, rules } = prepareRules({ config: DEMO_CONFIG });
    const snapshot = readSnapshotFile(DEMO_SNAPSHOT, { lines: true });
    const evaluation = evaluate(snapshot, rules, config);
    const fail = evaluation.results.find((r) => r.status === "fail" && r.rule.def.id === "SG009")!;
    const live = fingerprint("SG009", fail.resource);
    fail.resource.source = { file: "infra/ml stack.yaml", line: 7, endLine: 19, logicalId: "ProcessingSG" };
    const report = buildReport({
      snapshot,
      evaluation: { ...evaluation, results: [fail] },
      profile: config.profile,
      artifactUri: "fixtures/demo/snapshot.json",
    });
    const res = sarifOf(report).runs[0].results[0];
    expect(res.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "infra/ml%20stack.yaml" }, region: { startLine: 7, endLine: 19 } });
    expect(res.relatedLocations.map((l: any) => l.physicalLocation.artifactLocation.uri)).toEqual([resourcePath(fail.resource), "fixtures/demo/snapshot.json"]);
    expect(res.relatedLocations.map((l: any) => l.id)).toEqual([1, 2]);
    // Read from AWS, its alert keeps the live identity; planned, it is the declaration's. The
    // declaration being a file of the checkout, upload-sarif hashes its line: sagegate's goes under sagegate/v1.
    expect(res.partialFingerprints).toEqual({ "sagegate/v1": live });
    fail.resource.planned = true;
    expect(sarifOf(report).runs[0].results[0].partialFingerprints).toEqual({ "sagegate/v1": fingerprint("SG009", fail.resource) });
    expect(fingerprint("SG009", fail.resource)).not.toBe(live);
    // A declaration SARIF cannot point at (absolute) leaves the resource path primary.
    fail.resource.source = { file: "/home/ci/infra.yaml", line: 7 };
    const outside = sarifOf(report).runs[0].results[0];
    expect(outside.locations[0].physicalLocation.artifactLocation.uri).toBe(resourcePath(fail.resource));
    expect(outside.partialFingerprints).toEqual({ primaryLocationLineHash: fingerprint("SG009", fail.resource) });
  });

  it("checks that could not be evaluated where no call failed still get a sagegate/not-evaluated result for their region", () => {
    const { config, rules } = prepareRules({ config: FIXTURES.incomplete.config });
    const snapshot = readSnapshotFile(FIXTURES.incomplete.snapshot);
    const report = buildReport({ snapshot, evaluation: evaluate(snapshot, rules, config), profile: config.profile });
    const where = report.collectionErrors.find((e) => e.operation === "GetKeyPolicy")!;
    const inRegion = (x: { accountId: string; region: string }) => x.accountId === where.accountId && x.region === where.region;
    const errors = report.results.filter((r) => r.status === "error" && inRegion(r.resource)).length;
    expect(errors).toBeGreaterThan(0);
    // The same results, but the region's failed calls not recorded: sagegate cannot name a call.
    const unexplained = { ...report, collectionErrors: report.collectionErrors.filter((e) => !inRegion(e)) };
    const spots = sarifOf(unexplained).runs[0].results.filter((r: any) => r.ruleId === "sagegate/not-evaluated");
    const regional = spots.filter((s: any) => inRegion(s.properties));
    expect(regional).toHaveLength(1);
    expect(regional[0].properties.checks).toBe(errors);
    expect(regional[0].level).toBe("warning");
    expect(regional[0].message.text).toMatch(
      new RegExp(`^${errors} checks in account ${where.accountId}, ${where.region} could not be evaluated, though no AWS call failed there`),
    );
    expect(spots.length).toBe(unexplained.collectionErrors.length + 1);
  });
});
