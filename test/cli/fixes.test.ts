// The fix next to every finding, in every format: the rule's title, the remediation text and the
// AWS CLI command, with the configuration's placeholders and the resource's own values filled in;
// the printed command is valid shell that sends valid JSON; links are absolute (docsUrl).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixFor, ipPermissions } from "../../src/rules/remediation.js";
import { loadRuleSet } from "../../src/rules/load.js";
import { withDefaults } from "../../src/config/config.js";
import { awsArgumentsOf, commandAt, DEMO_CONFIG, DEMO_SNAPSHOT, readJson, ROOT, runCli, tempDir } from "../helpers.js";

const CATALOGUE = loadRuleSet();
const rule = (id: string) => CATALOGUE.rules.find((r) => r.def.id === id)!.def;

/** The demo configuration with other values, so that filled-in values cannot be the rule's own text. */
function configWith(dir: string, extra = ""): string {
  const file = join(dir, "sagegate.config.yaml");
  writeFileSync(file, readFileSync(DEMO_CONFIG, "utf8").replace("keepImages: 10", "keepImages: 7") + extra);
  return file;
}

/** The lifecycle policy an ECR put-lifecycle-policy command sends, parsed as JSON. */
function policySent(command: string): { rules: Array<{ description: string; selection: { countNumber: number } }> } {
  const args = awsArgumentsOf(command);
  expect(args.slice(0, 2)).toEqual(["ecr", "put-lifecycle-policy"]);
  return JSON.parse(args[args.indexOf("--lifecycle-policy-text") + 1]!);
}

const CONFIG_PLACEHOLDER = /\{(tagPrefix|company|teams|projects|vpcIds|profile|ecr\.keepImages|logRetentionDays\.\w+)\}/;

describe("every failing result carries its fix", () => {
  it("JSON: title, remediation text and commands filled in for the resource, and helpUri", () => {
    const dir = tempDir();
    const out = join(dir, "r.json");
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "--config", configWith(dir), "-f", "json", "-o", out, "--fail-on", "none"]);
    expect(r.code, r.stderr).toBe(0);
    const report = readJson(out);
    const failing = report.results.filter((x: any) => x.status === "fail");
    expect(failing.length).toBeGreaterThan(30);
    for (const f of failing) {
      expect(f.title).toBe(rule(f.ruleId).title);
      expect(f.remediation.text.length).toBeGreaterThan(10);
      expect(f.remediation.commands.length).toBeGreaterThan(0);
      expect(f.helpUri).toBe(`https://github.com/sagegate/sagegate/blob/v0.1.0/docs/rules/${f.ruleId}.md`);
      for (const text of [f.remediation.text, ...f.remediation.commands]) expect(text).not.toMatch(CONFIG_PLACEHOLDER);
      // Where the rule names the resource's own value, it is filled in.
      const fill = rule(f.ruleId).remediation.fill ?? {};
      for (const [name, source] of Object.entries(fill)) {
        if (source === "$id") for (const c of f.remediation.commands) expect(c).toContain(f.resource.id);
        if (!source.startsWith("evidence.") || f.evidence.some((e: any) => e[source.slice(9)] !== undefined)) {
          for (const c of f.remediation.commands) expect(c, `${f.ruleId} <${name}>`).not.toContain(`<${name}>`);
        }
      }
    }
    expect(report.results.filter((x: any) => x.status === "pass").every((x: any) => x.remediation === undefined && x.helpUri === undefined)).toBe(true);
    expect(report.rules.every((x: any) => x.helpUri.endsWith(`/docs/rules/${x.id}.md`))).toBe(true);
    // Config values, the resource and each failure's evidence in one command.
    const ecr004 = failing.find((x: any) => x.ruleId === "ECR004");
    expect(ecr004.remediation.commands).toEqual([
      "aws ecr batch-delete-image --repository-name acme-sm-rc-fraud-detection/inference --image-ids imageTag=release-1",
      "aws ecr batch-delete-image --repository-name acme-sm-rc-fraud-detection/inference --image-ids imageTag=20241345",
    ]);
    const sg005 = failing.find((x: any) => x.ruleId === "SG005");
    expect(awsArgumentsOf(sg005.remediation.commands[0])).toEqual([
      "ec2",
      "revoke-security-group-ingress",
      "--group-id",
      "sg-0proc000000000001",
      "--ip-permissions",
      "IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=0.0.0.0/0}]",
    ]);
    const mr005 = failing.find((x: any) => x.ruleId === "MR005");
    expect(mr005.remediation.commands[0]).toContain("--model-package-group-name algo-recommendation ");
    const lifecycle = failing.find((x: any) => x.ruleId === "ECR002");
    expect(policySent(lifecycle.remediation.commands[0]).rules[0]!.selection.countNumber).toBe(7);
  });

  it("table: the ECR002 command printed at 80 columns, pasted as is, sends valid JSON with the configured count", () => {
    const dir = tempDir();
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "--config", configWith(dir), "--fail-on", "none"], { env: { COLUMNS: "80" } });
    expect(r.code, r.stderr).toBe(0);
    const fixes = r.stdout.indexOf("ECR002 ECR repository has a lifecycle policy");
    expect(fixes).toBeGreaterThan(0);
    const command = commandAt(r.stdout, "aws ecr put-lifecycle-policy", r.stdout.slice(0, fixes).split("\n").length - 1);
    expect(command.split("\n").length).toBeGreaterThan(1); // it had to wrap
    const policy = policySent(command);
    expect(policy.rules[0]).toMatchObject({
      description: "Keep last 7 images",
      selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 7 },
    });
    expect(awsArgumentsOf(command)[3]).toBe("acme-sm-algo-recommendation/inference");
    // Each finding's title is in the table's fix block, with the finding's number.
    expect(r.stdout).toMatch(/#14 acme-sm-algo-recommendation\/inference:/);
  });

  it("Markdown: titles, a shell block per rule with each resource's command, and absolute links", () => {
    const dir = tempDir();
    const out = join(dir, "r.md");
    expect(runCli(["evaluate", DEMO_SNAPSHOT, "--config", configWith(dir), "-f", "markdown", "-o", out, "--fail-on", "none"]).code).toBe(0);
    const md = readFileSync(out, "utf8");
    const at = md.indexOf("**[ECR002](");
    expect(at).toBeGreaterThan(0);
    const block = md.slice(md.indexOf("```sh\n", at) + 6, md.indexOf("```\n", md.indexOf("```sh\n", at) + 6));
    expect(policySent(commandAt(block, "aws ecr")).rules[0]!.selection.countNumber).toBe(7);
    // Links leave the repository: all absolute, to the version's tag; §x.y links into the design summary.
    const links = [...md.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(40);
    for (const l of links) expect(l).toMatch(/^https:\/\/github\.com\/sagegate\/sagegate\/blob\/v0\.1\.0\/docs\/(rules\/[A-Z]+\d{3}\.md|design\.md#s[\d-]+)$/);
    expect(md).toContain("([§2.2.2](https://github.com/sagegate/sagegate/blob/v0.1.0/docs/design.md#s2-2-2))");
    // Every failure of the table has its number in the fixes.
    const rows = md.match(/^\| \d+ \| (critical|high|medium|low)/gm)!.length;
    for (let n = 1; n <= rows; n++) expect(md).toMatch(new RegExp(`^# (.*, )?#${n}\\b`, "m"));
  });

  it("SARIF help: the design in both languages and the fix with the configuration's values (valid JSON to send)", () => {
    const dir = tempDir();
    const out = join(dir, "r.sarif");
    expect(runCli(["evaluate", DEMO_SNAPSHOT, "--config", configWith(dir), "-f", "sarif", "-o", out, "--fail-on", "none", "--repo-root", ROOT]).code).toBe(0);
    const rules = readJson(out).runs[0].tool.driver.rules as any[];
    const ecr002 = rules.find((x) => x.id === "ECR002");
    const command = commandAt(ecr002.help.text, "aws ecr").replace(/<repository-name>/g, "my-repo");
    expect(policySent(command).rules[0]!.selection.countNumber).toBe(7);
    expect(ecr002.help.markdown).toContain('countNumber":7');
    const sg003 = rules.find((x) => x.id === "SG003");
    expect(sg003.help.text).toContain("入站 All Traffic 自身 SG");
    expect(sg003.help.text).toContain('In English: "Inbound All Traffic from the group itself');
    expect(sg003.help.markdown).toContain("> *In English:* Inbound All Traffic");
    expect(sg003.help.markdown).toContain("[§2.2.1](https://github.com/sagegate/sagegate/blob/v0.1.0/docs/design.md#s2-2-1)");
    for (const x of rules) {
      expect(x.help.text).not.toMatch(CONFIG_PLACEHOLDER);
      expect(x.helpUri).toBe(`https://github.com/sagegate/sagegate/blob/v0.1.0/docs/rules/${x.id}.md`);
    }
  });

  it("docsUrl in the configuration moves every link: Markdown, JSON helpUri, SARIF helpUri and help", () => {
    const dir = tempDir();
    const config = configWith(dir, "docsUrl: https://git.example.com/acme/sagegate/raw/main\n");
    const args = ["evaluate", DEMO_SNAPSHOT, "--config", config, "--fail-on", "none", "--repo-root", ROOT];
    const r = runCli([...args, "-f", "markdown", "-o", join(dir, "r.md"), "-f", "json", "-o", join(dir, "r.json"), "-f", "sarif", "-o", join(dir, "r.sarif")]);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(dir, "r.md"), "utf8");
    expect(md).toContain("](https://git.example.com/acme/sagegate/raw/main/docs/rules/SG009.md)");
    expect(md).not.toContain("github.com/sagegate");
    expect(readJson(join(dir, "r.json")).results.find((x: any) => x.status === "fail").helpUri).toMatch(
      /^https:\/\/git\.example\.com\/acme\/sagegate\/raw\/main\/docs\/rules\//,
    );
    const sarif = readFileSync(join(dir, "r.sarif"), "utf8");
    expect(sarif).not.toContain("github.com/sagegate/sagegate/blob");
    expect(JSON.parse(sarif).runs[0].tool.driver.rules[0].helpUri).toMatch(/^https:\/\/git\.example\.com\/acme\/sagegate\/raw\/main\/docs\/rules\//);
  });

  it("a docsUrl that is not an http(s) URL is refused with the file and line", () => {
    const dir = tempDir();
    const r = runCli(["evaluate", DEMO_SNAPSHOT, "--config", configWith(dir, "docsUrl: javascript:alert(1)\n"), "-f", "json", "-o", join(dir, "r.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sagegate\.config\.yaml:\d+:\d+: \/docsUrl: must match pattern/);
    expect(existsSync(join(dir, "r.json"))).toBe(false);
  });
});

describe("fixFor", () => {
  const config = withDefaults({ tagPrefix: "acme-ml", company: "acme", teams: ["rc", "algo"], projects: ["rc-fraud-detection", "algo-recommendation"] });
  const resource = (type: string, id: string) => ({ type, id, arn: `arn:aws:x:eu-west-1:111122223333:${id}`, accountId: "111122223333", region: "eu-west-1" });

  it("quotes a hostile resource name so the pasted command passes it as one literal argument", () => {
    const marker = join(tempDir(), "pwned");
    const id = `repo'$(touch ${marker})"; touch ${marker} #`;
    for (const ruleId of ["ECR002", "ECR004", "LOG001", "MR002"]) {
      const evidence = [{ actual: id, expected: 14, item: id }];
      const fix = fixFor(rule(ruleId), config, { resource: resource("AWS::X", id), evidence });
      for (const c of fix.commands) {
        const args = awsArgumentsOf(c);
        expect(
          args.some((a) => a === id || a.includes(id)),
          `${ruleId}: ${c}`,
        ).toBe(true);
      }
    }
    expect(existsSync(marker)).toBe(false);
  });

  it("without a resource (help) fills only the configuration and leaves <name> for the reader", () => {
    const fix = fixFor(rule("ECR002"), config);
    expect(fix.commands).toHaveLength(1);
    expect(fix.commands[0]).toContain("--repository-name <repository-name>");
    expect(fix.commands[0]).toContain('"countNumber":10');
  });

  it("fills {team}-{project} with the project the resource's id names, and only then", () => {
    const ecr006 = rule("ECR006");
    expect(fixFor(ecr006, config, { resource: resource("AWS::ECR::Repository", "acme-sm-rc-fraud-detection/inference"), evidence: [] }).commands[0]).toContain(
      "--repository-name acme-sm-rc-fraud-detection/inference",
    );
    expect(fixFor(ecr006, config, { resource: resource("AWS::ECR::Repository", "legacy-models"), evidence: [] }).commands[0]).toContain(
      "acme-sm-<team>-<project>/inference",
    );
    // With one project configured, it is the project.
    const one = withDefaults({ tagPrefix: "acme-ml", company: "acme", projects: ["rc-fraud-detection"] });
    expect(fixFor(rule("WL004"), one, { resource: resource("AWS::SageMaker::Endpoint", "demo-endpoint"), evidence: [] }).text).toContain(
      "under a rc-fraud-detection- name",
    );
  });

  it("writes the failing security group permission as --ip-permissions shorthand for each kind of source", () => {
    const e = (protocol: string, from: number | null, to: number | null, source: string, sourceType?: string) => ({
      protocol,
      fromPort: from,
      toPort: to,
      source,
      sourceType,
    });
    expect(ipPermissions(e("tcp", 22, 22, "0.0.0.0/0", "ipv4"), "sg-1")).toBe("IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=0.0.0.0/0}]");
    expect(ipPermissions(e("all", null, null, "::/0", "ipv6"), "sg-1")).toBe("IpProtocol=-1,Ipv6Ranges=[{CidrIpv6=::/0}]");
    expect(ipPermissions(e("tcp", null, null, "pl-123", "prefixList"), "sg-1")).toBe(
      "IpProtocol=tcp,FromPort=0,ToPort=65535,PrefixListIds=[{PrefixListId=pl-123}]",
    );
    expect(ipPermissions(e("udp", 53, 53, "sg-9", "securityGroup"), "sg-1")).toBe("IpProtocol=udp,FromPort=53,ToPort=53,UserIdGroupPairs=[{GroupId=sg-9}]");
    expect(ipPermissions({ protocol: "all", port: null, source: "self" }, "sg-1")).toBe("IpProtocol=-1,UserIdGroupPairs=[{GroupId=sg-1}]");
    expect(ipPermissions({ protocol: "tcp", port: 443, source: "vpcCidr" }, "sg-1")).toBe(
      "IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=<vpc-cidr>}]",
    );
  });
});
