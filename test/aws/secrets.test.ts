// A full `scan` with distinctive fake credentials (long-term key, secret, session token) and an
// assumed role, against the loopback AWS server, with calls failing the way AWS fails when it
// echoes the request (SignatureDoesNotMatch carries the canonical request and its headers).
// Every output — snapshot, every report format, stdout, stderr, the step summary — is searched
// for the credentials and for anything shaped like one. AWS's error messages must still be there.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, DEMO_CONFIG, ROOT, tempDir, type RunResult } from "../helpers.js";
import { cliEnv, server } from "./harness.js";
import { redact, registerSecret } from "../../src/collect/redact.js";

const ACCESS_KEY = "AKIASGTESTLEAKCHECK1";
const SECRET_KEY = "sgLeakCheck/secret+Key0123456789abcdefXYZ";
const SESSION_TOKEN = "IQoJb3JpZ2luX2VjEsgLeakCheckSessionToken0123456789abcdef==";
const ASSUMED_SECRET = "sgLeakCheck/assumed+Secret9876543210fedcbaZYX";
const ASSUMED_TOKEN = "FwoGZXIvYXdzEsgLeakCheckAssumedRoleToken9876543210==";
const ROLE = "arn:aws:iam::111122223333:role/sagegate-readonly";
const EXTERNAL_ID = "sg-external-id-leak-check-42";

const SECRETS = [ACCESS_KEY, SECRET_KEY, SESSION_TOKEN, ASSUMED_SECRET, ASSUMED_TOKEN, EXTERNAL_ID];
const PATTERNS = [
  /AKIA[A-Z0-9]{16}/,
  /ASIA[A-Z0-9]{16}/,
  /aws_secret_access_key/i,
  /aws_session_token/i,
  /X-Amz-Security-Token\s*[:=]\s*(?!\[redacted\])\S/i,
  /Authorization\s*[:=]\s*(?!\[redacted\])\S/i,
  /Credential=(?!\[redacted\])/,
  /Signature=(?!\[redacted\])/,
  /AWS4-HMAC-SHA256 Credential/,
];

function runCliAsync(args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function expectNoCredentials(name: string, text: string): void {
  for (const s of SECRETS) expect(text.includes(s) || text.replace(/\s+/g, "").includes(s), `${name} contains the credential ${s}`).toBe(false);
  // The table wraps long messages across lines and cell borders: read it as running text.
  const flat = text.replace(/[│┌┐└┘├┤┬┴┼─]/g, " ").replace(/\s+/g, " ");
  for (const p of PATTERNS) {
    expect(flat, `${name} matches ${p}`).not.toMatch(p);
  }
}

describe("credentials never reach an output", { timeout: 60_000 }, () => {
  it("a full scan with an assumed role and echoing AWS errors: no credential in any output, AWS messages kept", async () => {
    const s = await server({
      accessKeys: { [ACCESS_KEY]: "111122223333" },
      assumedCredentials: { secretAccessKey: ASSUMED_SECRET, sessionToken: ASSUMED_TOKEN },
      externalId: EXTERNAL_ID,
      faults: [
        { kind: "signature-mismatch", service: "ecr", operation: "GetLifecyclePolicy" },
        { kind: "signature-mismatch", service: "kms", operation: "GetKeyPolicy" },
        { kind: "access-denied", service: "logs", operation: "DescribeLogGroups", region: "us-east-1" },
      ],
    });
    const dir = tempDir();
    const summary = join(dir, "summary.md");
    const out = join(dir, "out");
    const env = {
      ...cliEnv(s),
      AWS_ACCESS_KEY_ID: ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: SECRET_KEY,
      AWS_SESSION_TOKEN: SESSION_TOKEN,
      GITHUB_STEP_SUMMARY: summary,
    };
    const args = [
      "scan",
      "--regions",
      "eu-west-1,us-east-1",
      "--since",
      "2026-11-01",
      "--role-arn",
      ROLE,
      "--external-id",
      EXTERNAL_ID,
      "--progress",
      "--config",
      DEMO_CONFIG,
      "--fail-on",
      "none",
      "--allow-incomplete",
      "-f",
      "table",
      "-o",
      "-",
      "-f",
      "json",
      "-o",
      join(out, "r.json"),
      "-f",
      "markdown",
      "-o",
      join(out, "r.md"),
      "-f",
      "sarif",
      "-o",
      join(out, "r.sarif"),
      "--snapshot-out",
      join(out, "snapshot.json"),
      "--repo-root",
      dir,
    ];
    const r = await runCliAsync(args, env);
    expect(r.code, r.stderr).toBe(0);

    // The server really saw the credentials, and really echoed them back in its errors.
    expect(s.calls.some((c) => c.operation === "AssumeRole")).toBe(true);
    const snapshot = readFileSync(join(out, "snapshot.json"), "utf8");
    const errors = JSON.parse(snapshot).accounts.flatMap((a: any) => a.regions.flatMap((g: any) => g.errors));
    const mismatch = errors.filter((e: any) => e.code === "SignatureDoesNotMatch");
    expect(mismatch.length).toBeGreaterThan(0);
    // AWS's words are kept; what it echoed of the request is not.
    for (const e of mismatch) {
      expect(e.message).toMatch(
        /^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\./,
      );
      expect(e.message).toContain("[redacted]");
    }
    expect(errors.some((e: any) => e.code === "AccessDeniedException" && /is not authorized to perform: logs:DescribeLogGroups/.test(e.message))).toBe(true);

    const outputs: Array<[string, string]> = [
      ["stdout", r.stdout],
      ["stderr", r.stderr],
      ["step summary", readFileSync(summary, "utf8")],
      ...readdirSync(out).map((f): [string, string] => [f, readFileSync(join(out, f), "utf8")]),
    ];
    expect(outputs.map(([n]) => n).sort()).toEqual(["r.json", "r.md", "r.sarif", "snapshot.json", "stderr", "stdout", "step summary"].sort());
    for (const [name, text] of outputs) expectNoCredentials(name, text);
    expect(r.stdout).toMatch(/SignatureDoesNotMatch/); // the table names the failed calls
  });

  it("a fatal AWS error (STS refusing the role) is one line without credentials", async () => {
    const s = await server({ accessKeys: { [ACCESS_KEY]: "111122223333" }, externalId: "another-id", faults: [] });
    const dir = tempDir();
    const env = { ...cliEnv(s), AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: SECRET_KEY, AWS_SESSION_TOKEN: SESSION_TOKEN };
    const r = await runCliAsync(["collect", "--regions", "eu-west-1", "--role-arn", ROLE, "--external-id", EXTERNAL_ID, "-o", join(dir, "s.json")], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sagegate: cannot assume role arn:aws:iam::111122223333:role\/sagegate-readonly: AccessDenied: /);
    expectNoCredentials("stderr", r.stderr);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("redact", () => {
  it("removes registered values, named credential fields, signed headers and access key ids; keeps the rest", () => {
    registerSecret("my-very-secret-value");
    const text = [
      "User: arn:aws:sts::111122223333:assumed-role/r/s is not authorized to perform: kms:GetKeyPolicy",
      "x-amz-security-token:FwoGZXIvYXdzEabc",
      "Authorization: AWS4-HMAC-SHA256 Credential=AKIAABCDEFGHIJKLMNOP/20261128/eu-west-1/kms/aws4_request, SignedHeaders=host, Signature=0123abcd",
      "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG",
      '{"SecretAccessKey":"abc/def","SessionToken":"tok"}',
      "leaked my-very-secret-value here, and ASIAABCDEFGHIJKLMNOP",
    ].join("\n");
    const out = redact(text);
    expect(out).toContain("is not authorized to perform: kms:GetKeyPolicy");
    for (const gone of [
      "FwoGZXIvYXdzEabc",
      "AKIAABCDEFGHIJKLMNOP",
      "0123abcd",
      "wJalrXUtnFEMI",
      "abc/def",
      '"tok"',
      "my-very-secret-value",
      "ASIAABCDEFGHIJKLMNOP",
    ])
      expect(out).not.toContain(gone);
  });
});

describe("redact, short and overlapping secrets", () => {
  it("redacts a secret of any length, and a long secret that contains a short one whole", () => {
    registerSecret("k3y");
    registerSecret("long-secret-with-k3y-inside");
    expect(redact("a k3y and a long-secret-with-k3y-inside here")).toBe("a [redacted] and a [redacted] here");
    // One pass: the marker itself is never searched for secrets again.
    registerSecret("dact");
    expect(redact("k3y dact")).toBe("[redacted] [redacted]");
  });
});
