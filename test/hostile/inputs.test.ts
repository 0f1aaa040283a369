// One test per hostile or broken input of issue 7, through the built CLI as a user would run it:
// each asserts the exit code, the one-line message naming the file and the place, and that
// nothing was written (no report, no temp file, no step summary).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_CONFIG, DEMO_SNAPSHOT, readJson, ROOT, runCli, tempDir, type RunResult } from "../helpers.js";

const CONFIG_TEXT = readFileSync(DEMO_CONFIG, "utf8");
const SNAPSHOT = (): any => JSON.parse(readFileSync(DEMO_SNAPSHOT, "utf8"));

interface Run extends RunResult {
  dir: string;
  out: string;
  summary: string;
}

/** `evaluate` with JSON, Markdown and SARIF reports into dir/out and a step summary; hostile files go in dir. */
function evaluate(dir: string, files: { snapshot?: string; config?: string; rules?: string; waivers?: string; baseline?: string }): Run {
  const out = join(dir, "out");
  const summary = join(dir, "summary.md");
  const args = [
    "evaluate",
    files.snapshot ?? DEMO_SNAPSHOT,
    "--config",
    files.config ?? DEMO_CONFIG,
    "--format",
    "json",
    "--output",
    join(out, "report.json"),
    "--format",
    "markdown",
    "--output",
    join(out, "report.md"),
    "--fail-on",
    "none",
  ];
  // A copy of the catalogue with one rule changed: it replaces the bundled rules.
  if (files.rules) args.push("--rules", files.rules, "--no-builtin-rules");
  if (files.waivers) args.push("--waivers", files.waivers);
  if (files.baseline) args.push("--baseline", files.baseline);
  const r = runCli(args, { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary } });
  return { ...r, dir, out, summary };
}

/** Exit 2, one line `sagegate: FILE[:LINE[:COL]]: …message`, no stack trace, nothing written. */
function expectRefused(r: Run, file: string, message: RegExp, place: "line" | "pointer" | "any" = "any"): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(r.stderr).not.toMatch(/internal error/);
  const line = lines[0]!;
  expect(line.startsWith(`sagegate: ${file}`), line).toBe(true);
  if (place === "line") expect(line.slice(`sagegate: ${file}`.length)).toMatch(/^:\d+/);
  if (place === "pointer") expect(line).toMatch(/: \/[^ ]*: /);
  expect(line).toMatch(message);
  expectNothingWritten(r);
}

function expectNothingWritten(r: Run): void {
  expect(existsSync(r.out) ? readdirSync(r.out) : [], "reports or temp files were written").toEqual([]);
  expect(existsSync(r.summary), "the step summary was written").toBe(false);
  expect(r.stdout).toBe("");
}

function write(dir: string, name: string, content: string | Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

const BILLION_LAUGHS = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...["b", "c", "d", "e", "f", "g", "h", "i"].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${"abcdefgh"[i]}`).join(",")}]`),
].join("\n");

const nestedFlow = (levels: number) => "[".repeat(levels) + "]".repeat(levels);
const nestedJson = (levels: number, leaf = "1") => '{"a":'.repeat(levels) + leaf + "}".repeat(levels);

// ------------------------------------------------------------------------------------ config

describe("hostile configuration files: exit 2, file:line, nothing written", () => {
  it("malformed YAML", () => {
    const dir = tempDir();
    const config = write(dir, "c.yaml", "tagPrefix: acme-ml\ncompany: [acme\n");
    expectRefused(evaluate(dir, { config }), config, /./, "line");
  });

  it('the "billion laughs" document is refused at once (alias expansion bounded)', () => {
    const dir = tempDir();
    const config = write(dir, "c.yaml", `${CONFIG_TEXT}\nx: ${BILLION_LAUGHS.split("\n").join("\nx: ")}`.replace(/\nx: a:/, "\nlaughs:\n  a:"));
    const lol = write(dir, "lol.yaml", `tagPrefix: acme-ml\ncompany: acme\nteams:\n  - &a x\n${BILLION_LAUGHS}\n`);
    void config;
    expectRefused(evaluate(dir, { config: lol }), lol, /resource exhaustion|alias|Map keys|unknown key/);
    // With only anchors and aliases (no other problem), the alias bound is what refuses it.
    const pure = write(dir, "pure.yaml", BILLION_LAUGHS + "\n");
    const r = evaluate(dir, { config: pure });
    expectRefused(r, pure, /Excessive alias count indicates a resource exhaustion attack/);
  });

  it("duplicate keys", () => {
    const dir = tempDir();
    const config = write(dir, "c.yaml", "tagPrefix: acme-ml\ncompany: acme\ntagPrefix: other\n");
    expectRefused(evaluate(dir, { config }), config, /Map keys must be unique/, "line");
  });

  for (const [tag, text] of [
    ["!!js/function", "tagPrefix: !!js/function 'function () { return 1 }'\ncompany: acme\n"],
    ["!foo", "tagPrefix: !foo acme-ml\ncompany: acme\n"],
    ["!!binary", "tagPrefix: !!binary YWNtZQ==\ncompany: acme\n"],
    ["!!set", "tagPrefix: acme-ml\ncompany: acme\nteams: !!set { rc }\n"],
  ] as const) {
    it(`custom or non-core tag ${tag}`, () => {
      const dir = tempDir();
      const config = write(dir, "c.yaml", text);
      expectRefused(evaluate(dir, { config }), config, /Unresolved tag/, "line");
    });
  }

  it("__proto__, constructor and prototype keys are plain (unknown) keys, never prototypes", () => {
    const dir = tempDir();
    for (const key of ["__proto__", "constructor", "prototype"]) {
      const config = write(dir, `${key}.yaml`, `${CONFIG_TEXT}\n${key}:\n  polluted: true\n  prototype: { polluted: true }\n`);
      expectRefused(evaluate(dir, { config }), config, new RegExp(`unknown key "${key}"`), "line");
    }
  });

  it("10,000 levels of nesting (flow and block style)", () => {
    const dir = tempDir();
    const flow = write(dir, "flow.yaml", `tagPrefix: acme-ml\ncompany: acme\nteams: ${nestedFlow(10_000)}\n`);
    expectRefused(evaluate(dir, { config: flow }), flow, /nesting too deep to parse|nesting deeper than the limit/);
    // Block style needs i spaces on line i: 10,000 levels is 50 MB, over the size limit; 2,500 levels fit.
    const blockText = (levels: number) =>
      "tagPrefix: acme-ml\ncompany: acme\nteams:\n" + Array.from({ length: levels }, (_, i) => " ".repeat(i + 1) + "-").join("\n") + " x\n";
    const block = write(dir, "block.yaml", blockText(10_000));
    expectRefused(evaluate(dir, { config: block }), block, /above the limit of 8388608/);
    const block2 = write(dir, "block2.yaml", blockText(2_500));
    expectRefused(evaluate(dir, { config: block2 }), block2, /nesting too deep to parse|nesting deeper than the limit/);
    const moderate = write(dir, "moderate.yaml", `tagPrefix: acme-ml\ncompany: acme\nteams: ${nestedFlow(100)}\n`);
    expectRefused(evaluate(dir, { config: moderate }), moderate, /nesting deeper than the limit of 64 levels/, "line");
  });

  it("a 1 MB string", () => {
    const dir = tempDir();
    const config = write(dir, "c.yaml", `tagPrefix: ${"a".repeat(1 << 20)}\ncompany: acme\n`);
    expectRefused(evaluate(dir, { config }), config, /must NOT have more than 200 characters/, "line");
  });

  it("a number beyond the safe-integer range, and wrong types", () => {
    const dir = tempDir();
    const big = write(dir, "big.yaml", `${CONFIG_TEXT}\necr: { keepImages: 99999999999999999999 }\n`.replace(/\necr:[^\n]*\n(?=.*\necr:)/s, "\n"));
    expectRefused(evaluate(dir, { config: big }), big, /must be <= 10000|safe-integer|unique/);
    const wrong = write(dir, "wrong.yaml", "tagPrefix: [acme]\ncompany: acme\n");
    expectRefused(evaluate(dir, { config: wrong }), wrong, /\/tagPrefix: must be string, not an array/, "line");
    const empty = write(dir, "empty.yaml", "");
    expectRefused(evaluate(dir, { config: empty }), empty, /empty/);
  });

  it("bytes that are not UTF-8", () => {
    const dir = tempDir();
    const config = write(dir, "c.yaml", Buffer.concat([Buffer.from("tagPrefix: acme-ml\ncompany: ac"), Buffer.from([0xff, 0xfe]), Buffer.from("me\n")]));
    expectRefused(evaluate(dir, { config }), config, /not UTF-8 text: byte 0xff/, "line");
    expect(evaluate(dir, { config }).stderr).toContain(`${config}:2:12:`);
  });

  it("a UTF-8 BOM is accepted (editors add one)", () => {
    const dir = tempDir();
    const config = write(dir, "c.yaml", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CONFIG_TEXT)]));
    const r = evaluate(dir, { config });
    expect(r.code, r.stderr).toBe(0);
    expect(readJson(join(r.out, "report.json")).results.length).toBeGreaterThan(0);
  });

  it("a directory, a missing file, a file above the size limit", () => {
    const dir = tempDir();
    const sub = join(dir, "config.d");
    mkdirSync(sub);
    expectRefused(evaluate(dir, { config: sub }), sub, /not a regular file/);
    expectRefused(evaluate(dir, { config: join(dir, "nope.yaml") }), join(dir, "nope.yaml"), /file not found/);
    const huge = write(dir, "huge.yaml", `tagPrefix: acme-ml\ncompany: acme\n#${"x".repeat(8 * 1024 * 1024)}\n`);
    expectRefused(evaluate(dir, { config: huge }), huge, /above the limit of 8388608/);
  });

  it("1,000 projects compile and run; 10,000 of 200 characters are refused as too large, at once", () => {
    const dir = tempDir();
    const projects = (n: number, len: number) => Array.from({ length: n }, (_, i) => `  - rc-${String(i).padStart(5, "0")}${"x".repeat(len - 8)}`).join("\n");
    const many = write(dir, "many.yaml", `tagPrefix: acme-ml\ncompany: acme\nteams: [rc, algo]\nprojects:\n${projects(1_000, 30)}\n`);
    const ok = evaluate(dir, { config: many });
    // None of them is in the demo snapshot: one warning line, the list cut short, exit 3 (issue 10).
    expect(ok.code, ok.stderr).toBe(3);
    expect(ok.stderr).toMatch(/^sagegate: warning: projects: .* is named for rc-00000x+, .*… \(1000 in all\): check projects$/m);
    expect(existsSync(join(ok.out, "report.json"))).toBe(true);
    const dir2 = tempDir();
    const huge = write(dir2, "huge.yaml", `tagPrefix: acme-ml\ncompany: acme\nteams: [rc, algo]\nprojects:\n${projects(10_000, 200)}\n`);
    const r = evaluate(dir2, { config: huge });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^sagegate: \S+ECR001\.yaml:\d+:\d+: \/check\/regex: invalid regex .*too large for the linear-time regex engine \(\d+ characters after expanding placeholders such as \{projects\}\)\n$/,
    );
    expectNothingWritten(r);
  });
});

describe("config values are matched literally, never as patterns", () => {
  for (const tagPrefix of ["acme.ml", "a+b", "acme-ml|.*", "(a+)+$"]) {
    it(`tagPrefix ${JSON.stringify(tagPrefix)}`, () => {
      const dir = tempDir();
      const config = write(dir, "c.yaml", CONFIG_TEXT.replace(/^tagPrefix: .*$/m, `tagPrefix: ${JSON.stringify(tagPrefix)}`));
      const snapshot = SNAPSHOT();
      const groups = snapshot.accounts[0].regions[0].resources["AWS::EC2::SecurityGroup"];
      // A group named with the prefix written literally, and one a pattern reading would also match.
      groups.push({ ...groups[1], GroupId: "sg-0literal000000001", GroupName: `${tagPrefix}-training`, Tags: [] });
      groups.push({ ...groups[1], GroupId: "sg-0pattern000000001", GroupName: "acme-ml-training", Tags: [] });
      groups.push({ ...groups[1], GroupId: "sg-0pattern000000002", GroupName: "aab-training", Tags: [] });
      const file = write(dir, "snap.json", JSON.stringify(snapshot));
      const r = evaluate(dir, { config, snapshot: file });
      expect(r.code, r.stderr).toBe(0);
      const sg002 = readJson(join(r.out, "report.json"))
        .results.filter((x: any) => x.ruleId === "SG002")
        .map((x: any) => x.resource.id);
      expect(sg002).toContain("sg-0literal000000001");
      expect(sg002).not.toContain("sg-0pattern000000002");
      if (tagPrefix !== "acme-ml|.*") expect(sg002).not.toContain("sg-0pattern000000001");
    });
  }
});

// ------------------------------------------------------------------------------------- rules

/** A copy of the catalogue with one rule file replaced or added. */
function rulesWith(dir: string, file: string, text: string): { rules: string; file: string } {
  const rules = join(dir, "rules");
  cpSync(join(ROOT, "rules"), rules, { recursive: true });
  const path = join(rules, file);
  writeFileSync(path, text);
  return { rules, file: path };
}

const SG002 = readFileSync(join(ROOT, "rules/security-groups/SG002.yaml"), "utf8");

describe("hostile rule files", () => {
  it("a regex with lookaround or a backreference is refused, naming the rule file and line", () => {
    for (const pattern of ["^(?=acme)", "^(a)\\\\1$"]) {
      const dir = tempDir();
      const { rules, file } = rulesWith(dir, "security-groups/SG002.yaml", SG002.replace('regex: "^{tagPrefix}-"', `regex: "${pattern}"`));
      expectRefused(evaluate(dir, { rules }), file, /not supported by the linear-time regex engine \(RE2 syntax: no lookaround, no backreferences\)/, "line");
    }
  });

  it("a catastrophic regex runs on the linear-time engine: a 10 KB hostile name does not hang the run", () => {
    const dir = tempDir();
    const { rules } = rulesWith(dir, "security-groups/SG002.yaml", SG002.replace('regex: "^{tagPrefix}-"', 'regex: "^(a+)+$|^{tagPrefix}-"'));
    const snapshot = SNAPSHOT();
    const groups = snapshot.accounts[0].regions[0].resources["AWS::EC2::SecurityGroup"];
    groups.push({ ...groups[1], GroupId: "sg-0hostile00000001", GroupName: "a".repeat(10_240) + "!", Tags: [] });
    const file = write(dir, "snap.json", JSON.stringify(snapshot));
    const r = evaluate(dir, { rules, snapshot: file });
    expect(r.code, r.stderr).toBe(0);
    expect(readJson(join(r.out, "report.json")).results.some((x: any) => x.ruleId === "SG002")).toBe(true);
  });

  it("10,000 levels of nesting in a condition", () => {
    const dir = tempDir();
    const deep = "check:\n  " + "not:\n  ".repeat(1).trim() + " " + "{ not: ".repeat(10_000) + "{ path: GroupName, exists: true }" + " }".repeat(10_000) + "\n";
    const { rules, file } = rulesWith(dir, "security-groups/SG002.yaml", SG002.replace(/^check:[\s\S]*?(?=^message:)/m, deep));
    expectRefused(evaluate(dir, { rules }), file, /nesting too deep to parse|nesting deeper than the limit/);
  });

  it("__proto__ keys in a rule are unknown keys", () => {
    const dir = tempDir();
    const { rules, file } = rulesWith(dir, "security-groups/SG002.yaml", `${SG002}\n__proto__:\n  polluted: true\n`);
    expectRefused(evaluate(dir, { rules }), file, /unknown key "__proto__"/, "line");
  });

  it("an integer beyond the safe-integer range where the schema wants an integer", () => {
    const dir = tempDir();
    const text = readFileSync(join(ROOT, "rules/security-groups/SG008.yaml"), "utf8");
    expect(text).toContain("port: 443");
    const { rules, file } = rulesWith(dir, "security-groups/SG008.yaml", text.replace("port: 443", "port: 99999999999999999999"));
    expectRefused(evaluate(dir, { rules }), file, /port: (must be <= 65535|100000000000000000000 is outside the safe-integer range)/, "line");
  });
});

// ----------------------------------------------------------------------------------- waivers

const WAIVER = (extra = "") =>
  `waivers:\n  - rule: SG009\n    resource: sg-0proc000000000001\n    reason: debug SSH while the image is rebuilt\n    owner: platform-team\n    expires: 2099-12-10\n${extra}`;

describe("hostile waivers files", () => {
  for (const key of ["__proto__", "constructor", "prototype"]) {
    it(`a ${key} key in a waiver is an unknown key`, () => {
      const dir = tempDir();
      const waivers = write(dir, "w.yaml", WAIVER(`    ${key}: { polluted: true }\n`));
      expectRefused(evaluate(dir, { waivers }), waivers, new RegExp(`unknown key "${key}"`), "line");
    });
  }

  it("tags named __proto__ or constructor never match a resource that lacks them", () => {
    const dir = tempDir();
    for (const key of ["__proto__", "constructor", "toString"]) {
      const waivers = write(dir, "w.yaml", WAIVER(`    tags: { ${key}: "[object Object]" }\n`));
      const r = evaluate(dir, { waivers });
      expect(r.code, r.stderr).toBe(0);
      const waived = readJson(join(r.out, "report.json")).results.filter((x: any) => x.status === "waived");
      expect(waived).toEqual([]);
    }
  });

  it("billion laughs and duplicate keys", () => {
    const dir = tempDir();
    const lol = write(dir, "lol.yaml", BILLION_LAUGHS + "\n");
    expectRefused(evaluate(dir, { waivers: lol }), lol, /Excessive alias count/);
    const dup = write(dir, "dup.yaml", WAIVER("    owner: someone-else\n"));
    expectRefused(evaluate(dir, { waivers: dup }), dup, /Map keys must be unique/, "line");
  });
});

// ---------------------------------------------------------------------------------- snapshot

function snapshotWith(dir: string, edit: (s: any) => void): string {
  const s = SNAPSHOT();
  edit(s);
  return write(dir, "snap.json", JSON.stringify(s, null, 2));
}

const sgs = (s: any) => s.accounts[0].regions[0].resources["AWS::EC2::SecurityGroup"];

describe("hostile snapshots", () => {
  it("a resource object nested 10,000 levels deep", () => {
    const dir = tempDir();
    const file = write(
      dir,
      "snap.json",
      readFileSync(DEMO_SNAPSHOT, "utf8").replace('"GroupId": "sg-0bastion00000001",', `"GroupId": "sg-0bastion00000001", "Deep": ${nestedJson(10_000)},`),
    );
    expectRefused(evaluate(dir, { snapshot: file }), file, /nesting deeper than the limit of 64 levels/, "line");
    expect(evaluate(dir, { snapshot: file }).stderr).toMatch(/\/accounts\/0\/regions\/0\/resources\/AWS::EC2::SecurityGroup\/0\/Deep\/a\/a/);
  });

  it("the envelope nested 10,000 levels deep", () => {
    const dir = tempDir();
    const file = write(dir, "snap.json", readFileSync(DEMO_SNAPSHOT, "utf8").replace('"collector": {', `"x": ${nestedFlow(10_000)}, "collector": {`));
    expectRefused(evaluate(dir, { snapshot: file }), file, /nesting deeper than the limit of 512/, "line");
  });

  it("a key policy (a JSON string) nested 10,000 levels deep: that key's policy rules say so, as for any unreadable policy", () => {
    const dir = tempDir();
    const file = snapshotWith(dir, (s) => {
      const key = s.accounts[0].regions[0].resources["AWS::KMS::Key"][0];
      // Built as text: JSON.stringify itself would overflow the stack on such a value.
      key.Policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":${nestedJson(10_000, '"*"')},"Action":"kms:*","Resource":"*"}]}`;
    });
    const r = evaluate(dir, { snapshot: file });
    expect(r.code, r.stderr).toBe(0);
    const keyId = SNAPSHOT().accounts[0].regions[0].resources["AWS::KMS::Key"][0].KeyId;
    const policyRules = readJson(join(r.out, "report.json")).results.filter(
      (x: any) => x.resource.id === keyId && ["KMS002", "KMS003", "KMS004"].includes(x.ruleId),
    );
    expect(policyRules).toHaveLength(3);
    for (const x of policyRules) expect(x.message).toMatch(/^Policy is nested deeper than 64 levels/);
  });

  it("a 1 MB tag value and a 1 MB name are data: the run completes", () => {
    const dir = tempDir();
    const file = snapshotWith(dir, (s) => {
      sgs(s)[0].Tags.push({ Key: "big", Value: "v".repeat(1 << 20) });
      s.accounts[0].regions[0].resources["AWS::Logs::LogGroup"][0].logGroupName = "/aws/sagemaker/Endpoints/" + "x".repeat(1 << 20);
    });
    const r = evaluate(dir, { snapshot: file });
    expect(r.code, r.stderr).toBe(0);
    expect(readJson(join(r.out, "report.json")).results.length).toBeGreaterThan(0);
  });

  it("an integer beyond the safe-integer range where the schema wants an integer", () => {
    const dir = tempDir();
    const file = write(dir, "snap.json", readFileSync(DEMO_SNAPSHOT, "utf8").replace('"FromPort": 22,', '"FromPort": 99999999999999999999,'));
    expectRefused(evaluate(dir, { snapshot: file }), file, /FromPort: 100000000000000000000 is outside the safe-integer range/, "line");
  });

  it("wrong JSON types where the schema expects others", () => {
    const dir = tempDir();
    const file = snapshotWith(dir, (s) => (sgs(s)[0].GroupName = 42));
    expectRefused(evaluate(dir, { snapshot: file }), file, /\/GroupName: must be string, not a number/, "line");
    const envelope = snapshotWith(dir, (s) => (s.accounts = { "0": s.accounts[0] }));
    expectRefused(evaluate(dir, { snapshot: envelope }), envelope, /\/accounts: must be array, not an object/, "pointer");
  });

  it('"__proto__" keys in resource objects, tags and the envelope never change prototypes', () => {
    const dir = tempDir();
    const text = readFileSync(DEMO_SNAPSHOT, "utf8")
      .replace(
        '"GroupId": "sg-0bastion00000001",',
        '"GroupId": "sg-0bastion00000001", "__proto__": { "polluted": true, "GroupName": "acme-ml-training" }, "constructor": { "prototype": { "polluted": true } },',
      )
      .replace('"Tags": [{"Key": "Name"', '"Tags": [{"Key": "__proto__", "Value": "x"}, {"Key": "Name"')
      .replace(/"Tags": \[\s*\{\s*"Key": "Name"/, '"Tags": [{"Key": "__proto__", "Value": "x"}, {"Key": "constructor", "Value": "y"}, {"Key": "Name"');
    const file = write(dir, "snap.json", text);
    const r = evaluate(dir, { snapshot: file });
    expect(r.code, r.stderr).toBe(0);
    const bastion = readJson(join(r.out, "report.json")).results.filter((x: any) => x.resource.id === "sg-0bastion00000001");
    // The inherited GroupName would have put the bastion in the training group's rules.
    expect(bastion.map((x: any) => x.ruleId)).not.toContain("SG003");
    const dir2 = tempDir();
    const typeKey = write(dir2, "type.json", readFileSync(DEMO_SNAPSHOT, "utf8").replace('"resources": {', '"resources": { "__proto__": [],'));
    expectRefused(evaluate(dir2, { snapshot: typeKey }), typeKey, /unknown key "__proto__"/, "pointer");
  });

  it("bytes that are not UTF-8, and a BOM", () => {
    const dir = tempDir();
    const text = readFileSync(DEMO_SNAPSHOT);
    const at = text.indexOf("MLOps bastion host");
    const bad = write(dir, "bad.json", Buffer.concat([text.subarray(0, at), Buffer.from([0xc3, 0x28]), text.subarray(at)]));
    expectRefused(evaluate(dir, { snapshot: bad }), bad, /not UTF-8 text: byte 0xc3/, "line");
    const bom = write(dir, "bom.json", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]));
    expect(evaluate(dir, { snapshot: bom }).code).toBe(0);
  });

  it("truncated JSON, a directory, an empty file", () => {
    const dir = tempDir();
    const text = readFileSync(DEMO_SNAPSHOT, "utf8");
    const cut = write(dir, "cut.json", text.slice(0, Math.floor(text.length / 2)));
    expectRefused(evaluate(dir, { snapshot: cut }), cut, /not valid JSON/, "line");
    const sub = join(dir, "snap.d");
    mkdirSync(sub);
    expectRefused(evaluate(dir, { snapshot: sub }), sub, /not a regular file/);
    const empty = write(dir, "empty.json", "");
    expectRefused(evaluate(dir, { snapshot: empty }), empty, /not valid JSON: unexpected end of input/, "line");
  });

  it("10 KB hostile names in every name and id field: the run completes", () => {
    const dir = tempDir();
    const file = snapshotWith(dir, (s) => {
      const res = s.accounts[0].regions[0].resources;
      const evil = (seed: string) => seed + (seed.at(-1) ?? "a").repeat(10_240) + "!";
      sgs(s).forEach((g: any, i: number) => (g.GroupName = evil(`acme-ml-${i}`)));
      res["AWS::ECR::Repository"].forEach((r: any, i: number) => (r.repositoryName = evil(`acme-sagemaker-shared/${i}a.`)));
      res["AWS::Logs::LogGroup"].forEach((g: any, i: number) => (g.logGroupName = evil(`/aws/sagemaker/Endpoints/rc-${i}`)));
      res["AWS::SageMaker::ModelPackageGroup"].forEach((g: any, i: number) => (g.ModelPackageGroupName = evil(`rc-${i}-`)));
      res["AWS::SageMaker::TrainingJob"].forEach((j: any, i: number) => (j.TrainingJobName = evil(`rc-fraud-detection-${i}`)));
      res["AWS::KMS::Key"].forEach((k: any) => (k.Aliases ?? []).forEach((a: any, i: number) => (a.AliasName = evil(`alias/sagemaker-${i}`))));
    });
    const r = evaluate(dir, { snapshot: file });
    expect(r.code, r.stderr).toBe(0);
  });
});

// ---------------------------------------------------------------------------------- baseline

describe("hostile baseline reports", () => {
  it("not JSON: the message names the line and column", () => {
    const dir = tempDir();
    const baseline = write(dir, "b.json", '{\n  "tool": {\n    "name": sagegate\n');
    expectRefused(evaluate(dir, { baseline }), baseline, /not valid JSON: unexpected 's'/, "line");
    expect(evaluate(dir, { baseline }).stderr).toContain(`${baseline}:3:13:`);
  });

  it("10,000 levels of nesting, wrong types, __proto__, not UTF-8, duplicate keys", () => {
    const dir = tempDir();
    const deep = write(dir, "deep.json", nestedJson(10_000));
    expectRefused(evaluate(dir, { baseline: deep }), deep, /nesting deeper than the limit of 128/, "line");
    const wrong = write(dir, "wrong.json", JSON.stringify({ results: "all of them" }));
    expectRefused(evaluate(dir, { baseline: wrong }), wrong, /./, "pointer");
    const proto = write(dir, "proto.json", '{"__proto__": {"polluted": true}, "results": []}');
    expectRefused(evaluate(dir, { baseline: proto }), proto, /__proto__|missing required key/, "pointer");
    const bad = write(dir, "bad.json", Buffer.from([0x7b, 0xff, 0x7d]));
    expectRefused(evaluate(dir, { baseline: bad }), bad, /not UTF-8 text/, "line");
    const dup = write(dir, "dup.json", '{"results": [], "results": []}');
    expectRefused(evaluate(dir, { baseline: dup }), dup, /duplicate key "results"/, "line");
  });
});
