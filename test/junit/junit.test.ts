// `--format junit` loads in a real JUnit consumer: the output validates against the JUnit schema
// Jenkins uses for Surefire reports (xmllint --schema), and has one testsuite per rule, one
// testcase per (rule, resource), failures with severity, errors and skipped (waived) checks.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_CONFIG, DEMO_SNAPSHOT, readJson, ROOT, runCli, tempDir } from "../helpers.js";

const XSD = join(ROOT, "test/junit/junit-10.xsd");
const INCOMPLETE = join(ROOT, "fixtures/incomplete/snapshot.json");
const INCOMPLETE_CONFIG = join(ROOT, "fixtures/incomplete/sagegate.config.yaml");

function xmllint(file: string): { status: number | null; output: string } {
  const r = spawnSync("xmllint", ["--noout", "--schema", XSD, file], { encoding: "utf8" });
  if (r.error) throw new Error("xmllint is missing: install Debian's libxml2-utils (.ci/run does) to validate the JUnit output");
  return { status: r.status, output: r.stderr };
}

function junitOf(snapshot: string, config: string, extra: string[] = []): { file: string; xml: string; json: any } {
  const dir = tempDir();
  const file = join(dir, "report.junit.xml");
  const json = join(dir, "report.json");
  const r = runCli(["evaluate", snapshot, "--config", config, "--fail-on", "none", "--allow-incomplete", "-o", file, "-o", json, ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return { file, xml: readFileSync(file, "utf8"), json: readJson(json) };
}

/** Attributes of every element named `tag`. */
function elements(xml: string, tag: string): Array<Record<string, string>> {
  return [...xml.matchAll(new RegExp(`<${tag}((?:\\s+[a-zA-Z]+="[^"]*")*)\\s*/?>`, "g"))].map((m) =>
    Object.fromEntries([...m[1]!.matchAll(/([a-zA-Z]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])),
  );
}

describe("--format junit", () => {
  it("the demo's report validates against the Jenkins/Surefire JUnit schema", () => {
    const { file } = junitOf(DEMO_SNAPSHOT, DEMO_CONFIG);
    const v = xmllint(file);
    expect(v.output).toMatch(/validates/);
    expect(v.status).toBe(0);
  });

  it("the schema check is real: a report without the required counts is rejected", () => {
    const { xml } = junitOf(DEMO_SNAPSHOT, DEMO_CONFIG);
    const broken = join(tempDir(), "broken.xml");
    writeFileSync(broken, xml.replace(/ failures="\d+" errors="\d+" skipped/, " skipped"));
    expect(xmllint(broken).status).not.toBe(0);
  });

  it("one testsuite per rule, one testcase per (rule, resource), failures typed by severity with message, evidence and fix", () => {
    const { xml, json } = junitOf(DEMO_SNAPSHOT, DEMO_CONFIG);
    const suites = elements(xml, "testsuite");
    expect(suites.map((s) => s.id)).toEqual(json.rules.map((r: any) => r.id));
    const cases = elements(xml, "testcase");
    expect(cases).toHaveLength(json.results.length);
    for (const r of json.results) expect(cases.some((c) => c.classname === r.ruleId && c.name === r.resource.arn.replace(/&/g, "&amp;"))).toBe(true);
    const root = elements(xml, "testsuites")[0]!;
    expect(root).toMatchObject({ tests: String(json.results.length), failures: String(json.summary.byStatus.fail), errors: "0" });
    const failures = elements(xml, "failure");
    expect(failures).toHaveLength(json.summary.byStatus.fail);
    expect(new Set(failures.map((f) => f.type))).toEqual(new Set(["critical", "high", "medium", "low"]));
    const sg009 = xml.slice(xml.indexOf('<testcase classname="SG009" name="arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0proc000000000001"'));
    const body = sg009.slice(0, sg009.indexOf("</testcase>"));
    expect(body).toContain('message="ingress TCP 22 is open to the internet (0.0.0.0/0) (§2.1)" type="critical"');
    expect(body).toContain("Evidence:\n  {&quot;reason&quot;:&quot;ingress TCP 22 from 0.0.0.0/0&quot;".replace(/&quot;/g, '"'));
    expect(body).toContain(
      "aws ec2 revoke-security-group-ingress --group-id sg-0proc000000000001 --ip-permissions 'IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=0.0.0.0/0}]'",
    );
    expect(body).toContain("Rule page: https://github.com/sagegate/sagegate/blob/v0.1.0/docs/rules/SG009.md");
  });

  it("checks that could not be evaluated are <error>, waived ones <skipped>, and it still validates", () => {
    const dir = tempDir();
    const waivers = join(dir, "w.yaml");
    writeFileSync(
      waivers,
      "waivers:\n  - rule: SG009\n    resource: '*'\n    reason: accepted for the test <&> \"quoted\"\n    owner: platform\n    expires: 2099-01-01\n",
    );
    const { file, xml, json } = junitOf(INCOMPLETE, INCOMPLETE_CONFIG, ["--waivers", waivers]);
    expect(xmllint(file).status).toBe(0);
    expect(elements(xml, "error")).toHaveLength(json.summary.byStatus.error);
    expect(json.summary.byStatus.error).toBeGreaterThan(0);
    const skipped = elements(xml, "skipped");
    expect(skipped).toHaveLength(json.summary.byStatus.waived);
    expect(skipped.length).toBeGreaterThan(0);
    expect(xml).toContain("accepted for the test &lt;&amp;&gt; &quot;quoted&quot;");
    const sg009 = elements(xml, "testsuite").find((s) => s.id === "SG009")!;
    expect(sg009.skipped).toBe(String(json.results.filter((r: any) => r.ruleId === "SG009" && r.status === "waived").length));
  });

  it("is byte-identical across runs", () => {
    expect(junitOf(DEMO_SNAPSHOT, DEMO_CONFIG).xml).toBe(junitOf(DEMO_SNAPSHOT, DEMO_CONFIG).xml);
  });

  it("a plan run: validates, its unresolved checks are errors of type unresolved, failures name the declaration and fix it there", () => {
    const dir = tempDir();
    const config = join(dir, "sagegate.config.yaml");
    writeFileSync(config, "tagPrefix: acme-ml\ncompany: acme\nteams: [rc]\nprojects: [rc-fraud-detection]\n");
    const file = join(dir, "plan.junit.xml");
    const jsonFile = join(dir, "plan.json");
    const template = "test/plan/templates/workloads.yaml";
    const r = runCli(["plan", template, "--config", config, "--fail-on", "none", "--allow-unresolved", "-o", file, "-o", jsonFile]);
    expect(r.code, r.stderr).toBe(0);
    expect(xmllint(file).output).toMatch(/validates/);
    const xml = readFileSync(file, "utf8");
    const json = readJson(jsonFile);
    const unresolved = json.results.filter((x: any) => x.status === "unresolved");
    expect(unresolved.length).toBeGreaterThan(0);
    expect(elements(xml, "error").filter((e) => e.type === "unresolved")).toHaveLength(unresolved.length);
    expect(elements(xml, "testsuites")[0]!.errors).toBe(String(json.summary.byStatus.error + json.summary.byStatus.unresolved));
    const failed = json.results.find((x: any) => x.status === "fail");
    const where = `${failed.resource.source.file}:${failed.resource.source.line}`;
    expect(xml).toContain(`declared at ${where}`);
    expect(failed.remediation.text).toMatch(new RegExp(`^Fix it in ${where.replace(/[.]/g, "\\.")} \\(${failed.resource.source.logicalId}\\): `));
    expect(failed.remediation.commands).toEqual([]);
  });
});
