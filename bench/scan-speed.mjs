// Throughput of the snapshot scanner (src/snapshot/scan.ts) against JSON.parse.
//
//   npx tsc -p tsconfig.json && node bench/scan-speed.mjs [megabytes]   (default 200; the text
//   must fit in one JS string for the JSON.parse comparison, so stay below ~250)
//
// Generates a snapshot-shaped document of ~200 MB in memory (compact and pretty-printed),
// then times scanJson with every resource object as a span, scanJson with the whole
// document as one span (pure skip speed), LineMap construction, and JSON.parse.

import { scanJson, LineMap } from "../dist/snapshot/scan.js";

const targetMB = Number(process.argv[2] ?? 200);
const RUNS = 3;

/** Small seeded PRNG (mulberry32) so every run measures the same bytes. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = prng(42);
const pick = (list) => list[Math.floor(rand() * list.length)];
const int = (n) => Math.floor(rand() * n);
const hex = (n) => Array.from({ length: n }, () => "0123456789abcdef"[int(16)]).join("");

const WORDS = ["sagemaker", "training", "endpoint", "notebook", "vpc", "subnet", "kms", "bucket", "role", "model"];
const UNICODE = ["Données d'entraînement", "模型训练数据", "Über-Team ✓", "emoji 🚀🔒", "naïve café", "Ωμέγα"];
const TYPES = ["AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::SecurityGroup", "AWS::S3::Bucket", "AWS::IAM::Role", "AWS::SageMaker::NotebookInstance"];

/** One resource: nested arrays and objects, escaped quotes, backslashes, unicode. */
function resource(type) {
  const id = `${pick(WORDS)}-${hex(17)}`;
  const policy = {
    Version: "2012-10-17",
    Statement: Array.from({ length: 1 + int(3) }, () => ({
      Effect: pick(["Allow", "Deny"]),
      Action: Array.from({ length: 1 + int(4) }, () => `s3:${pick(["Get", "Put", "List"])}Object`),
      Resource: `arn:aws:s3:::${pick(WORDS)}-${hex(6)}/*`,
      Condition: { StringEquals: { "aws:SourceVpce": `vpce-${hex(8)}` } },
    })),
  };
  return {
    ResourceId: id,
    Arn: `arn:aws:${type.split("::")[1].toLowerCase()}:eu-west-1:123456789012:${id}`,
    Name: `${pick(WORDS)} "${pick(WORDS)}" {${int(100)}} [${pick(WORDS)}]`,
    Description: `${pick(UNICODE)} — ${pick(WORDS)} ${int(1e6)}`,
    Path: `C:\\data\\${pick(WORDS)}\\`,
    PolicyDocument: JSON.stringify(policy),
    Encrypted: rand() < 0.5,
    KmsKeyId: rand() < 0.3 ? null : `arn:aws:kms:eu-west-1:123456789012:key/${hex(8)}-${hex(4)}`,
    SizeGiB: int(2000),
    Utilisation: Math.round(rand() * 1e4) / 100,
    CreatedAt: new Date(1.6e12 + int(1e11)).toISOString(),
    Tags: Array.from({ length: int(6) }, () => ({ Key: pick(WORDS), Value: `${pick(WORDS)}-${int(1000)}` })),
    SecurityGroups: Array.from({ length: int(3) }, () => ({
      GroupId: `sg-${hex(17)}`,
      IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: `10.${int(256)}.0.0/16` }] }],
    })),
    Policy: policy,
  };
}

/** A snapshot whose resource arrays reuse a pool of distinct objects (keeps generation cheap). */
function snapshot(bytes) {
  const pool = Array.from({ length: 4000 }, (_, i) => resource(TYPES[i % TYPES.length]));
  const poolBytes = pool.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0);
  const perRegion = 60; // regions × types, below
  const totalResources = Math.ceil(bytes / (poolBytes / pool.length));
  const perList = Math.ceil(totalResources / perRegion);
  let next = 0;
  const regions = (account) =>
    ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-2"].map((region) => ({
      resources: Object.fromEntries(TYPES.map((type) => [type, Array.from({ length: perList }, () => pool[next++ % pool.length])])),
      region,
      errors: [{ service: "sagemaker", message: `AccessDenied for account ${account} in ${region}` }],
    }));
  return {
    accounts: Array.from({ length: 2 }, (_, a) => ({ regions: regions(a), accountId: String(111111111111 * (a + 1)) })),
    snapshotVersion: 1,
    collectedAt: new Date().toISOString(),
    collector: { name: "sagegate", version: "0.1.0" },
  };
}

function time(fn) {
  let best = Infinity;
  let result;
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    result = fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    best = Math.min(best, ms);
  }
  return { ms: best, result };
}

function report(label, bytes, ms) {
  const mbs = bytes / 1e6 / (ms / 1000);
  console.log(`  ${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  ${mbs.toFixed(0).padStart(6)} MB/s`);
}

const isResource = (path) => path.length === 7 && path[4] === "resources";

const doc = snapshot(targetMB * 1e6);
for (const [format, indent] of [
  ["compact", undefined],
  ["pretty (indent 2)", 2],
]) {
  const text = JSON.stringify(doc, null, indent);
  const buf = Buffer.from(text);
  console.log(`${format}: ${(buf.length / 1e6).toFixed(0)} MB`);

  const spans = time(() => scanJson(buf, { spanAt: isResource }));
  let count = 0;
  for (const account of spans.result.accounts) for (const region of account.regions) for (const list of Object.values(region.resources)) count += list.length;
  report(`scanJson, ${count} resources as spans`, buf.length, spans.ms);

  const whole = time(() => scanJson(buf, { spanAt: (path) => path.length === 0 }));
  report("scanJson, whole document as one span", buf.length, whole.ms);

  const lines = time(() => new LineMap(buf).line(buf.length));
  report(`LineMap build (${lines.result} lines)`, buf.length, lines.ms);

  report("JSON.parse(string)", buf.length, time(() => void JSON.parse(text)).ms);
  report("JSON.parse(buf.toString())", buf.length, time(() => void JSON.parse(buf.toString())).ms);
}
