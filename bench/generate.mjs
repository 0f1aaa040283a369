// Seeded generator of realistic sagegate snapshots for the benchmark (issue 6).
//
//   npm run bench:gen -- --resources N [--shape default|failure-heavy] [--out FILE] [--regions K] [--accounts A] [--seed S]
//
//   --resources N   total resource objects in the snapshot (VPCs and subnets included)
//   --shape S       default: ≈ 15% of in-scope resources non-compliant, per rule and independently.
//                   failure-heavy (issue 18): ≈ 28% of in-scope resources non-compliant, each failing
//                   several rules at once with much evidence — wide purpose security groups (10–30
//                   extra ingress and 3–10 extra egress permissions), lifecycle policies of several
//                   rules none of which keeps the last N images, repositories with many badly tagged
//                   images, model package groups with 8–20 versions lacking metrics, metadata and
//                   rejection reasons — and smaller VPCs (40 security groups each instead of 190),
//                   so that the purpose groups the SG rules judge are 1 in 8 groups, not 1 in 40.
//                   Its answer covers more rules (org.mjs FAILURE_HEAVY_ANSWER_RULES).
//   --out FILE      default bench/out/snapshot-N.json (failure-heavy: snapshot-failure-heavy-N.json)
//   --regions K     regions per account (default 2)
//   --accounts A    accounts (default: one per 10,000 resources, so a region holds ~5,000)
//   --seed S        PRNG seed (default 1); the same arguments always give the same bytes
//   --unicode       put non-ASCII text (Chinese, accented) in some descriptions. Off by default:
//                   a single non-ASCII character makes V8 hold the whole-file string of the
//                   JSON.parse floor with two bytes per character, doubling the floor's memory.
//
// The snapshot follows README "Snapshot format": resources as the AWS SDK v3 returns them, type
// keys sorted, each type's list sorted by natural id. The mix is ≈ 40% CloudWatch log groups,
// 30% security groups, 15% ECR repositories, 10% model package groups and 5% KMS keys, plus the
// VPCs and subnets the security groups live in. One resource is written per line and the file
// is written in chunks as it is generated: it is never held as one string (1M resources ≈ 1 GB).
//
// Next to the snapshot, FILE.answer.json holds the generator's known answer: for eight rules of
// the catalogue (org.mjs ANSWER_RULES; seventeen in the failure-heavy shape) the number of pass, fail and error results sagegate must
// report. The generator decides per resource, with the PRNG, whether it is in a rule's scope and
// whether it complies (≈ 15% of in-scope resources are made non-compliant per rule, a few have a
// failed collection call), builds the object accordingly and counts the outcome it intended.
// The counts are never derived by running rule logic over the generated objects: that is what
// sagegate and bench/handwritten.mjs do, and both are checked against this answer.

import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { ANSWER_RULES, FAILURE_HEAVY_ANSWER_RULES, ORG, SHAPES, WORKLOAD_GROUPS } from "./org.mjs";

// ---------------------------------------------------------------------------------------------
// Knobs

/** Share of repositories and keys whose secondary AWS call (GetLifecyclePolicy, GetKeyPolicy) failed. */
const ERROR_RATE = 0.004;
/**
 * Share of model package groups whose DescribeModelPackage failed. Lower, because one such
 * failure makes KMS004's scope undecidable for every customer key without a sagemaker alias in
 * the region (see buildKey): about one region in five gets one.
 */
const PACKAGE_ERROR_RATE = 0.0005;
/** Resource mix (of what remains after VPCs and subnets). */
const MIX = { logGroups: 0.4, securityGroups: 0.3, repositories: 0.15, modelPackageGroups: 0.1, keys: 0.05 };
const SUBNETS_PER_VPC = 4; // three private subnets (one per AZ) and one public
const REGIONS = [
  "eu-west-1",
  "us-east-1",
  "eu-central-1",
  "us-west-2",
  "ap-southeast-1",
  "ap-northeast-1",
  "eu-north-1",
  "us-east-2",
  "ca-central-1",
  "ap-south-1",
  "eu-west-2",
  "sa-east-1",
];
const COLLECTED_AT = "2026-11-28T02:00:00.000Z";

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: tiny, fast, good enough for test data. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes integers into one 32-bit seed, so every resource gets its own independent stream. */
function mix(...xs) {
  let h = 0x9e3779b9;
  for (const x of xs) {
    h = Math.imul(h ^ (x >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

class Rng {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  /** Integer in [0, n). */
  int(n) {
    return Math.floor(this.next() * n);
  }
  /** Integer in [lo, hi]. */
  between(lo, hi) {
    return lo + this.int(hi - lo + 1);
  }
  /** Integer in [lo, hi], skewed towards lo (most groups have few rules, a few have many). */
  skewed(lo, hi, power) {
    return lo + Math.floor(this.next() ** power * (hi - lo + 1));
  }
  chance(p) {
    return this.next() < p;
  }
  pick(list) {
    return list[this.int(list.length)];
  }
  hex(n) {
    let s = "";
    while (s.length < n) s += ((this.next() * 4294967296) >>> 0).toString(16).padStart(8, "0");
    return s.slice(0, n);
  }
  uuid() {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.pick(["8", "9", "a", "b"])}${this.hex(3)}-${this.hex(12)}`;
  }
  /** ISO timestamp between two years, as the SDK serialises Dates. */
  date(fromYear = 2024, toYear = 2026) {
    const from = Date.UTC(fromYear, 0, 1);
    const to = Date.UTC(toYear, 10, 27);
    return new Date(from + Math.floor(this.next() * (to - from))).toISOString();
  }
  shuffle(list) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [list[i], list[j]] = [list[j], list[i]];
    }
    return list;
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const APPS = [
  "payments",
  "billing",
  "checkout",
  "ledger",
  "catalog",
  "search",
  "identity",
  "notifications",
  "reporting",
  "warehouse",
  "partner-api",
  "mobile-bff",
  "risk-engine",
  "customer-portal",
  "data-lake",
  "etl",
  "crm-sync",
  "audit",
];
const ENVS = ["prod", "staging", "dev", "qa", "sandbox"];
const FUNCS = ["export", "ingest", "handler", "worker", "scheduler", "webhook", "resize", "sync", "cleanup", "notifier", "authorizer", "stream-processor"];
const PEOPLE = ["wang.lei", "li.na", "zhang.wei", "chen.jing", "maria.garcia", "john.smith", "anna.kowalska", "raj.patel", "sofia.rossi", "kenji.sato"];
const PURPOSE_DESCRIPTIONS = {
  studio: "SageMaker Studio domain",
  training: "SageMaker training jobs",
  processing: "SageMaker processing jobs",
  inference: "SageMaker inference endpoints",
  "vpc-endpoints": "Interface VPC endpoints for SageMaker, ECR, S3, Logs, STS, KMS",
};
const ENDPOINT_KINDS = ["realtime", "serverless", "async", "shadow", "canary", "batch-scoring"];
const FRAMEWORKS = [
  ["sklearn", ["1.0-1", "1.2-1", "1.4-2"]],
  ["xgboost", ["1.5-1", "1.7-1", "2.0-1"]],
  ["pytorch", ["1.13.1", "2.0.1", "2.1.0", "2.2.0", "2.3.0"]],
  ["tensorflow", ["2.11.0", "2.12.0", "2.13.0", "2.14.1"]],
  ["huggingface-pytorch", ["4.28.1", "4.36.0", "4.37.0"]],
  ["lightgbm", ["3.3.5", "4.1.0"]],
  ["catboost", ["1.1", "1.2"]],
  ["spark", ["3.3", "3.5"]],
  ["djl-inference", ["0.26.0", "0.27.0", "0.28.0"]],
  ["tgi", ["1.4.0", "2.0.0", "2.2.0"]],
  ["triton", ["23.08", "24.01", "24.05"]],
  ["autogluon", ["0.8.2", "1.0.0", "1.1.0"]],
];
const PYTHONS = ["py39", "py310", "py311"];
const IMAGE_KINDS = ["preprocessing", "training", "inference"];
const RETENTIONS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const AWS_MANAGED_ALIASES = [
  "s3",
  "ebs",
  "rds",
  "lambda",
  "sns",
  "sqs",
  "secretsmanager",
  "ssm",
  "dynamodb",
  "ecr",
  "kinesis",
  "backup",
  "redshift",
  "elasticfilesystem",
  "glue",
  "acm",
  "es",
  "codecommit",
  "fsx",
  "xray",
];
const UNICODE_NOTES = ["欺诈检测模型", "推荐系统排序模型", "Modèle de détection de fraude", "Empfehlungsmodell für Händler", "モデル評価済み"];

// ---------------------------------------------------------------------------------------------
// Arguments

const { values: args } = parseArgs({
  options: {
    resources: { type: "string" },
    out: { type: "string" },
    regions: { type: "string", default: "2" },
    accounts: { type: "string" },
    seed: { type: "string", default: "1" },
    unicode: { type: "boolean", default: false },
    shape: { type: "string", default: "default" },
    quiet: { type: "boolean", default: false },
  },
});
const total = positiveInt(args.resources, "--resources");
const regionsPerAccount = positiveInt(args.regions, "--regions");
if (regionsPerAccount > REGIONS.length) fail(`--regions: at most ${REGIONS.length}`);
const accounts = args.accounts !== undefined ? positiveInt(args.accounts, "--accounts") : Math.max(1, Math.ceil(total / 10_000));
const seed = Number(args.seed);
if (!Number.isInteger(seed)) fail("--seed must be an integer");
if (!SHAPES.includes(args.shape)) fail(`--shape must be one of ${SHAPES.join(", ")}`);
/** The failure-heavy shape of issue 18 (see the header); the default shape's bytes never depend on its code. */
const HEAVY = args.shape === "failure-heavy";
const out = args.out ?? (HEAVY ? `bench/out/snapshot-failure-heavy-${total}.json` : `bench/out/snapshot-${total}.json`);
/** Share of in-scope resources made non-compliant: per resource and per rule (default), per resource for several rules at once (failure-heavy). */
const BAD = HEAVY ? 0.28 : 0.15;
/** Security groups per VPC, on average (AWS allows 500; SG011 warns at 450). */
const GROUPS_PER_VPC = HEAVY ? 40 : 190;
const answerRules = HEAVY ? FAILURE_HEAVY_ANSWER_RULES : ANSWER_RULES;

function positiveInt(text, name) {
  const n = Number(text);
  if (text === undefined || !Number.isInteger(n) || n <= 0) fail(`${name} must be a positive integer`);
  return n;
}
function fail(message) {
  console.error(`generate: ${message}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// The known answer: outcome counts per rule, tallied as resources are built.

const answer = Object.fromEntries(answerRules.map((id) => [id, { pass: 0, fail: 0, error: 0 }]));
const tally = (rule, status) => answer[rule][status]++;

// ---------------------------------------------------------------------------------------------
// Output: chunks of text collected and written with writeSync, never one big string.

class ChunkWriter {
  constructor(file) {
    this.fd = openSync(file, "w");
    this.parts = [];
    this.pending = 0;
    this.bytes = 0;
  }
  write(text) {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= 1 << 20) this.flush();
  }
  flush() {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(this.parts.join(""), "utf8");
    for (let off = 0; off < buf.length;) off += writeSync(this.fd, buf, off);
    this.bytes += buf.length;
    this.parts = [];
    this.pending = 0;
  }
  close() {
    this.flush();
    closeSync(this.fd);
  }
}

// ---------------------------------------------------------------------------------------------
// Layout: accounts × regions ("units"), each with its share of every type.

const units = [];
for (let a = 0; a < accounts; a++) {
  const accountId = String(111100000000 + a * 1111);
  for (let r = 0; r < regionsPerAccount; r++) units.push({ index: units.length, accountId, region: REGIONS[r] });
}

/** Splits `count` over the units: the first `count % units` get one more. */
function share(count, u) {
  return Math.floor(count / units.length) + (u < count % units.length ? 1 : 0);
}

// VPCs and subnets come out of the total, so the file holds exactly `total` resources.
const estimatedGroups = Math.round(total * MIX.securityGroups);
let infra = 0;
for (const unit of units) {
  unit.vpcs = Math.max(1, Math.round(share(estimatedGroups, unit.index) / GROUPS_PER_VPC));
  infra += unit.vpcs * (1 + SUBNETS_PER_VPC);
}
if (infra > total) fail(`${total} resources cannot hold the ${infra} VPCs and subnets of ${units.length} regions; use fewer --accounts or --regions`);
const rest = total - infra;
const typeTotals = {
  keys: Math.round(rest * MIX.keys),
  modelPackageGroups: Math.round(rest * MIX.modelPackageGroups),
  repositories: Math.round(rest * MIX.repositories),
  securityGroups: Math.round(rest * MIX.securityGroups),
};
typeTotals.logGroups = rest - typeTotals.keys - typeTotals.modelPackageGroups - typeTotals.repositories - typeTotals.securityGroups;

// ---------------------------------------------------------------------------------------------
// Small builders shared by several types

const TYPE_CODES = { vpc: 1, subnet: 2, sg: 3, ecr: 4, mpg: 5, kms: 6, logs: 7 };

/** A plan-phase stream for one unit and type, and a build-phase stream per resource. */
const planRng = (unit, type) => new Rng(mix(seed, unit.index, TYPE_CODES[type], 0xffffff));
const itemSeed = (unit, type, i) => mix(seed, unit.index, TYPE_CODES[type], i);

const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function permission(protocol, from, to, sources = {}) {
  const p = { IpProtocol: protocol };
  if (protocol !== "-1") {
    p.FromPort = from;
    p.ToPort = to;
  }
  p.UserIdGroupPairs = sources.groups ?? [];
  p.IpRanges = sources.v4 ?? [];
  p.Ipv6Ranges = sources.v6 ?? [];
  p.PrefixListIds = sources.prefixLists ?? [];
  return p;
}
const v4 = (cidr, description) => (description ? { Description: description, CidrIp: cidr } : { CidrIp: cidr });
const selfPair = (unit, groupId) => ({ UserId: unit.accountId, GroupId: groupId });

/**
 * KMS prints key policies with its own pretty printer ("Key" : value, 2-space indent, short
 * arrays of strings on one line, arrays of objects as "[ {" … "}, {" … "} ]").
 */
function kmsPretty(value, indent = "") {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[ ]";
    if (value.every((v) => typeof v !== "object" || v === null)) return `[ ${value.map((v) => JSON.stringify(v)).join(", ")} ]`;
    return `[ ${value.map((v) => kmsPretty(v, indent)).join(", ")} ]`;
  }
  if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value);
    if (keys.length === 0) return "{ }";
    const inner = indent + "  ";
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)} : ${kmsPretty(value[k], inner)}`).join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------
// VPCs and subnets: enough for every security group to have its VPC, with CIDR associations.

function planNetwork(unit) {
  const rng = planRng(unit, "vpc");
  const vpcs = [];
  for (let v = 0; v < unit.vpcs; v++) {
    // 10.a.b.0/20 blocks: up to 4,096 distinct VPCs per region; subnets are /24s inside.
    const a = v >> 4;
    const b = (v & 15) << 4;
    vpcs.push({
      id: `vpc-${rng.hex(17)}`,
      seed: itemSeed(unit, "vpc", v),
      index: v,
      cidr: `10.${a}.${b}.0/20`,
      subnetBase: [a, b],
      // The first VPC always holds the workload groups; most others do too.
      workload: v === 0 || rng.chance(0.8),
    });
  }
  unit.vpcList = vpcs;
  const subnets = [];
  for (const vpc of vpcs) {
    for (let s = 0; s < SUBNETS_PER_VPC; s++) subnets.push({ id: `subnet-${rng.hex(17)}`, seed: itemSeed(unit, "subnet", subnets.length), vpc, s });
  }
  return { vpcs: vpcs.slice().sort(byId), subnets: subnets.sort(byId) };
}

function buildVpc(rec, unit) {
  const rng = new Rng(rec.seed);
  const associations = [{ AssociationId: `vpc-cidr-assoc-${rng.hex(17)}`, CidrBlock: rec.cidr, CidrBlockState: { State: "associated" } }];
  // A secondary block (as for EKS pods) on some VPCs, a disassociated one on a few.
  if (rng.chance(0.3))
    associations.push({ AssociationId: `vpc-cidr-assoc-${rng.hex(17)}`, CidrBlock: "100.64.0.0/16", CidrBlockState: { State: "associated" } });
  if (rng.chance(0.1))
    associations.push({ AssociationId: `vpc-cidr-assoc-${rng.hex(17)}`, CidrBlock: "10.255.0.0/16", CidrBlockState: { State: "disassociated" } });
  return {
    OwnerId: unit.accountId,
    InstanceTenancy: "default",
    CidrBlockAssociationSet: associations,
    IsDefault: false,
    Tags: [{ Key: "Name", Value: rec.workload ? `${ORG.tagPrefix}-workloads-${rec.index}` : `${rng.pick(APPS)}-${rng.pick(ENVS)}-vpc` }],
    BlockPublicAccessStates: { InternetGatewayBlockMode: "off" },
    VpcId: rec.id,
    State: "available",
    CidrBlock: rec.cidr,
    DhcpOptionsId: `dopt-${rng.hex(17)}`,
  };
}

/** "eu-west-1" → "euw1", the prefix of its availability zone ids. */
const azPrefix = (region) =>
  region
    .split("-")
    .map((part, i) => (i === 1 ? part[0] : part))
    .join("");

function buildSubnet(rec, unit) {
  const rng = new Rng(rec.seed);
  const [a, b] = rec.vpc.subnetBase;
  const isPublic = rec.s === SUBNETS_PER_VPC - 1;
  const az = "abc"[rec.s % 3];
  const name = rec.vpc.workload ? `${ORG.tagPrefix}-${isPublic ? "public" : "private"}-${az}` : `${isPublic ? "public" : "private"}-${az}`;
  return {
    AvailabilityZoneId: `${azPrefix(unit.region)}-az${(rec.s % 3) + 1}`,
    MapCustomerOwnedIpOnLaunch: false,
    OwnerId: unit.accountId,
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    Tags: [{ Key: "Name", Value: name }],
    SubnetArn: `arn:aws:ec2:${unit.region}:${unit.accountId}:subnet/${rec.id}`,
    EnableDns64: false,
    Ipv6Native: false,
    PrivateDnsNameOptionsOnLaunch: { HostnameType: "ip-name", EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    BlockPublicAccessStates: { InternetGatewayBlockMode: "off" },
    SubnetId: rec.id,
    State: "available",
    VpcId: rec.vpc.id,
    CidrBlock: `10.${a}.${b + (isPublic ? 15 : rec.s + 1)}.0/24`,
    AvailableIpAddressCount: rng.between(120, 250),
    AvailabilityZone: `${unit.region}${az}`,
    DefaultForAz: false,
    MapPublicIpOnLaunch: isPublic,
  };
}

// ---------------------------------------------------------------------------------------------
// Security groups. SG009's scope is the five purpose-level names; each workload VPC has each of
// them at most once (AWS group names are unique per VPC), so most groups are arbitrary ones.

function planSecurityGroups(unit, count) {
  const rng = planRng(unit, "sg");
  const fixed = [];
  for (const vpc of unit.vpcList) {
    fixed.push({ vpc, kind: "default", name: "default" });
    if (!vpc.workload) continue;
    for (const purpose of Object.keys(PURPOSE_DESCRIPTIONS)) {
      // A missing purpose group is what SG001 reports; the first VPC is always complete.
      if (vpc.index === 0 || rng.chance(0.92)) fixed.push({ vpc, kind: "purpose", purpose, name: `${ORG.tagPrefix}-${purpose}` });
    }
    const projects = rng.int(3);
    for (let p = 0; p < projects; p++) fixed.push({ vpc, kind: "project", name: `${ORG.tagPrefix}-${rng.pick(ORG.projects).replace(/^(rc|algo)-/, "")}-${p}` });
  }
  const recs = fixed.slice(0, count);
  let n = 0;
  while (recs.length < count) {
    const vpc = rng.pick(unit.vpcList);
    const style = rng.int(6);
    const tag = (n++).toString(36);
    const name =
      style === 0
        ? `launch-wizard-${tag}`
        : style === 1
          ? `eks-cluster-sg-${rng.pick(APPS)}-${rng.hex(8)}`
          : style === 2
            ? `rds-${rng.pick(APPS)}-${rng.pick(ENVS)}-${tag}`
            : style === 3 && rng.chance(0.3)
              ? `acme-mlops-${rng.pick(["bastion", "runner", "mlflow", "airflow"])}-${tag}` // near miss: acme-mlops is not acme-ml-*
              : `${rng.pick(APPS)}-${rng.pick(ENVS)}-${rng.pick(["alb", "app", "db", "cache", "worker", "api"])}-${tag}`;
    recs.push({ vpc, kind: "other", name });
  }
  recs.forEach((r, i) => {
    r.id = `sg-${rng.hex(17)}`;
    r.seed = itemSeed(unit, "sg", i);
  });
  return recs.sort(byId);
}

/** A random permission for an arbitrary group: anything goes, the internet included. */
function randomPermission(rng, unit, rec, vpcCidr) {
  const proto = rng.pick(["tcp", "tcp", "tcp", "tcp", "udp", "-1", "icmp"]);
  let from = 0;
  let to = 0;
  if (proto === "tcp") {
    from = rng.pick([22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9200, 27017, 1024]);
    to = from === 1024 ? 65535 : rng.chance(0.1) ? from + rng.between(1, 10) : from;
  } else if (proto === "udp") {
    from = to = rng.pick([53, 123, 514, 4789]);
  } else if (proto === "icmp") {
    from = -1;
    to = -1;
  }
  const kind = rng.int(10);
  if (kind < 3) return permission(proto, from, to, { v4: [v4("0.0.0.0/0")], v6: rng.chance(0.3) ? [{ CidrIpv6: "::/0" }] : [] });
  if (kind < 6) return permission(proto, from, to, { v4: [v4(vpcCidr, rng.chance(0.3) ? "vpc" : undefined)] });
  if (kind < 8) return permission(proto, from, to, { v4: [v4(`${rng.pick(["203.0.113", "198.51.100", "192.0.2"])}.0/24`, "office")] });
  if (kind < 9) return permission(proto, from, to, { prefixLists: [{ PrefixListId: `pl-${rng.hex(17)}` }] });
  return permission(proto, from, to, { groups: [selfPair(unit, rng.chance(0.5) ? rec.id : `sg-${rng.hex(17)}`)] });
}

/** The design's tables (§2.2) for the purpose groups. */
function purposeTables(purpose, unit, id, vpcCidr, rng) {
  const self = { groups: [selfPair(unit, id)] };
  const inVpc = { v4: [v4(vpcCidr)] };
  const anywhere = { v4: [v4("0.0.0.0/0")] };
  switch (purpose) {
    case "training":
    case "processing":
      return {
        ingress: [permission("-1", 0, 0, self), permission("tcp", 443, 443, inVpc)],
        egress: [permission("tcp", 443, 443, anywhere), permission("-1", 0, 0, self)],
      };
    case "inference":
      return {
        ingress: [permission("tcp", 443, 443, inVpc), permission("tcp", 8080, 8080, inVpc)],
        egress: [permission("tcp", 443, 443, rng.chance(0.3) ? { ...anywhere, v6: [{ CidrIpv6: "::/0" }] } : anywhere)],
      };
    case "studio":
      return {
        ingress: [permission("tcp", 443, 443, self), permission("tcp", 8192, 65535, self)],
        egress: [permission("-1", 0, 0, anywhere)],
      };
    default: // vpc-endpoints
      return { ingress: [permission("tcp", 443, 443, inVpc)], egress: [permission("-1", 0, 0, anywhere)] };
  }
}

/** The flow-table rules of each purpose (§2.2): ingress and egress "only" tables. */
const TABLE_RULES = { training: ["SG003", "SG004"], processing: ["SG005", "SG006"], inference: ["SG007", "SG008"] };
const OFFICE = ["203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24"];
/** TCP ports no design table has (443 and 8080 are the tables' ports). */
const OTHER_PORTS = [22, 80, 3306, 5432, 6379, 8888, 9200, 27017];

/** 1–3 sources of an extra permission: the internet, offices, a prefix list, another group; never the group itself or the VPC. */
function wideSources(rng, unit) {
  const sources = { v4: [], v6: [], prefixLists: [], groups: [] };
  // Distinct kinds: AWS refuses the same source twice in one permission.
  for (const kind of rng.shuffle([0, 1, 2, 3, 4]).slice(0, rng.between(1, 3))) {
    if (kind === 0) sources.v4.push(v4("0.0.0.0/0"));
    else if (kind === 1) sources.v4.push(v4(rng.pick(OFFICE), "office"));
    else if (kind === 2) sources.v6.push({ CidrIpv6: "::/0" });
    else if (kind === 3) sources.prefixLists.push({ PrefixListId: `pl-${rng.hex(17)}` });
    else sources.groups.push(selfPair(unit, `sg-${rng.hex(17)}`));
  }
  return sources;
}

/** An ingress permission that is a row of no design table: another port or protocol, a source outside the VPC. */
function wideIngress(rng, unit) {
  const kind = rng.int(4);
  if (kind === 0) return permission("-1", 0, 0, wideSources(rng, unit));
  if (kind === 1) return permission("udp", 53, 53, wideSources(rng, unit));
  if (kind === 2) return permission("tcp", 1024, 65535, wideSources(rng, unit));
  const port = rng.chance(0.5) ? rng.pick(OTHER_PORTS) : rng.between(1025, 9999);
  return permission("tcp", port, port === 8080 ? port + 1 : port, wideSources(rng, unit));
}

/** An egress permission outside every egress table (which allow only TCP 443 out and all traffic to the group itself). */
function wideEgress(rng, unit) {
  const kind = rng.int(3);
  if (kind === 0) return permission("-1", 0, 0, { v4: [v4("0.0.0.0/0")] });
  if (kind === 1) return permission("udp", 53, 53, { v4: [v4("0.0.0.0/0")] });
  const port = rng.pick(OTHER_PORTS);
  return permission("tcp", port, port, wideSources(rng, unit));
}

/** Appends up to `n` permissions of traffic the list does not have yet (AWS keeps one permission per protocol and port range). */
function addDistinct(list, n, make) {
  const key = (p) => `${p.IpProtocol}:${p.FromPort}:${p.ToPort}`;
  const seen = new Set(list.map(key));
  let added = 0;
  for (let tries = 0; added < n && tries < 4 * n; tries++) {
    const p = make();
    if (seen.has(key(p))) continue;
    seen.add(key(p));
    list.push(p);
    added++;
  }
  if (added === 0) throw new Error("no distinct permission to add"); // the answer counts on at least one
}

/**
 * Failure-heavy shape: a purpose group (its design table already in `ingress`/`egress`) is made
 * wide — SSH from the internet first, then 10–30 more ingress and 3–10 more egress permissions
 * of 1–3 sources each — failing SG009 and both flow-table rules of its purpose at once, with one
 * evidence entry per offending source. Otherwise it keeps its table, sometimes with a near miss
 * that every rule accepts (protocol "6" for TCP 443 from a /24 inside the VPC's block).
 */
function widenPurposeGroup(rec, unit, rng, ingress, egress) {
  const tables = TABLE_RULES[rec.purpose];
  if (rng.chance(BAD)) {
    ingress.push(permission("tcp", 22, 22, { v4: [v4("0.0.0.0/0", "debug ssh")] }));
    addDistinct(ingress, rng.between(10, 30), () => wideIngress(rng, unit));
    addDistinct(egress, rng.between(3, 10), () => wideEgress(rng, unit));
    tally("SG009", "fail");
    if (tables) for (const rule of tables) tally(rule, "fail");
    return;
  }
  if (tables && rng.chance(0.2)) {
    const [a, b] = rec.vpc.subnetBase;
    ingress.push(permission("6", 443, 443, { v4: [v4(`10.${a}.${b + rng.int(16)}.0/24`, "a subnet")] }));
  }
  tally("SG009", "pass");
  if (tables) for (const rule of tables) tally(rule, "pass");
}

function buildSecurityGroup(rec, unit) {
  const rng = new Rng(rec.seed);
  const vpcCidr = rec.vpc.cidr;
  let ingress;
  let egress;
  let description;
  const tags = [];
  if (rec.kind === "default") {
    ingress = [permission("-1", 0, 0, { groups: [selfPair(unit, rec.id)] })];
    egress = [permission("-1", 0, 0, { v4: [v4("0.0.0.0/0")] })];
    description = "default VPC security group";
  } else if (rec.kind === "purpose") {
    ({ ingress, egress } = purposeTables(rec.purpose, unit, rec.id, vpcCidr, rng));
    description = PURPOSE_DESCRIPTIONS[rec.purpose];
    tags.push({ Key: "Name", Value: rec.name });
    if (HEAVY) {
      widenPurposeGroup(rec, unit, rng, ingress, egress);
    }
    // SG009 (in scope: the five purpose names). Non-compliant: some ingress from 0.0.0.0/0 or ::/0.
    else if (rng.chance(BAD)) {
      const variant = rng.int(5);
      if (variant === 0) ingress.push(permission("tcp", 22, 22, { v4: [v4("0.0.0.0/0", "debug ssh")] }));
      else if (variant === 1) ingress.push(permission("-1", 0, 0, { v4: [v4("0.0.0.0/0")] }));
      else if (variant === 2) ingress[ingress.length - 1].Ipv6Ranges.push({ CidrIpv6: "::/0" });
      else if (variant === 3) ingress.push(permission("50", 0, 0, { v4: [v4("0.0.0.0/0")] }));
      else ingress.push(permission("tcp", 8888, 8888, { v4: [v4(vpcCidr), v4("0.0.0.0/0", "notebook")] }));
      tally("SG009", "fail");
    } else {
      // Near misses that are not "the internet": a public /24, a prefix list (pass).
      if (rng.chance(0.1))
        ingress.push(permission("tcp", 443, 443, { v4: [v4("203.0.113.0/24", "partner")], prefixLists: [{ PrefixListId: `pl-${rng.hex(17)}` }] }));
      tally("SG009", "pass");
    }
  } else {
    // 1–8 ingress and 1–4 egress permissions, most groups near the low end (AWS's default
    // egress "all traffic to 0.0.0.0/0" is the most common egress table).
    const nIn = rng.skewed(1, 8, 4);
    const nOut = rng.chance(0.75) ? 1 : rng.skewed(1, 4, 2);
    ingress = Array.from({ length: nIn }, () => randomPermission(rng, unit, rec, vpcCidr));
    egress = nOut === 1 && rng.chance(0.9) ? [permission("-1", 0, 0, { v4: [v4("0.0.0.0/0")] })] : [];
    while (egress.length < nOut) egress.push(randomPermission(rng, unit, rec, vpcCidr));
    description = rec.kind === "project" ? `${rec.name.slice(ORG.tagPrefix.length + 1)} project` : `${rec.name} security group`;
    tags.push({ Key: "Name", Value: rec.name });
  }
  if (rec.kind !== "default" && rng.chance(0.5)) tags.push({ Key: "team", Value: rng.pick(ORG.teams) });
  if (rec.kind === "other" && rng.chance(0.4)) tags.push({ Key: "CostCenter", Value: `cc-${rng.between(1000, 9999)}` });
  const group = { GroupId: rec.id, IpPermissionsEgress: egress };
  if (tags.length > 0) group.Tags = tags;
  group.VpcId = rec.vpc.id;
  group.SecurityGroupArn = `arn:aws:ec2:${unit.region}:${unit.accountId}:security-group/${rec.id}`;
  group.OwnerId = unit.accountId;
  group.GroupName = rec.name;
  group.Description = description;
  group.IpPermissions = ingress;
  return group;
}

// ---------------------------------------------------------------------------------------------
// ECR repositories (ECR001 name, ECR002 policy present, ECR003 policy keeps the last N images).

function planRepositories(unit, count) {
  const rng = planRng(unit, "ecr");
  // Compliant names: every project repository of the configured projects, then shared base
  // images (short names first, versioned ones when a region has many repositories).
  const projectRepos = rng.shuffle(ORG.projects.flatMap((p) => IMAGE_KINDS.map((k) => `${ORG.company}-sm-${p}/${k}`)));
  const shared = (parts) => `${ORG.company}-sagemaker-shared/base-${parts.join("-")}`;
  const devices = ["cpu", "gpu"];
  const sharedShort = FRAMEWORKS.flatMap(([fw]) => devices.flatMap((d) => PYTHONS.map((py) => shared([fw, d, py]))));
  const sharedVersioned = FRAMEWORKS.flatMap(([fw, versions]) => versions.flatMap((v) => devices.flatMap((d) => PYTHONS.map((py) => shared([fw, v, d, py])))));
  const pool = [...rng.shuffle(sharedVersioned), ...rng.shuffle(sharedShort), ...projectRepos]; // taken from the end
  const used = new Set();
  const recs = [];
  let n = 0;
  for (let i = 0; i < count; i++) {
    let name;
    let compliant = !rng.chance(BAD);
    if (compliant) {
      // Pool exhausted (very large regions): more shared images, still valid names.
      name = pool.length > 0 ? pool.pop() : shared(["custom", (n++).toString(36)]);
    } else {
      const tag = (n++).toString(36);
      const project = rng.pick(ORG.projects);
      const variant = rng.int(5);
      name =
        variant === 0
          ? `legacy-${rng.pick(APPS)}-${tag}` // outside both namespaces
          : variant === 1
            ? `${ORG.company}-sm-${rng.pick(ORG.teams)}-sandbox-${tag}/${rng.pick(IMAGE_KINDS)}` // project not configured
            : variant === 2
              ? `${ORG.company}-sm-${project}/${rng.pick(["serving", "notebook", "eval"])}-${tag}` // image name outside the three
              : variant === 3
                ? `${ORG.company}-sm-${project}-${tag}` // images directly under the project namespace
                : `globex-sagemaker-shared/base-${rng.pick(FRAMEWORKS)[0]}-${tag}`; // another company's shared namespace
    }
    if (used.has(name)) throw new Error(`duplicate repository name ${name}`);
    used.add(name);
    recs.push({ id: name, compliant, seed: itemSeed(unit, "ecr", i) });
  }
  return recs.sort(byId);
}

function lifecyclePolicy(rules) {
  return JSON.stringify({ rules: rules.map((r, i) => ({ rulePriority: i + 1, ...r })) });
}
const keepLast = (n, tagStatus = "any", extra = {}) => ({
  description: `Keep last ${n} images`,
  selection: { tagStatus, ...extra, countType: "imageCountMoreThan", countNumber: n },
  action: { type: "expire" },
});
const expireUntagged = (days) => ({
  description: `Expire untagged images older than ${days} days`,
  selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: days },
  action: { type: "expire" },
});

function imageTag(rng) {
  const k = rng.int(10);
  if (k < 4) return rng.hex(7);
  if (k < 7) return `v${rng.between(0, 3)}.${rng.between(0, 20)}`;
  if (k < 8) return `2026${String(rng.between(1, 12)).padStart(2, "0")}${String(rng.between(1, 28)).padStart(2, "0")}`;
  if (k < 9) return "latest";
  return rng.pick(["dev", "feature-x", "20261345"]);
}

const INVALID_TAGS = ["dev", "feature-x", "release-1", "V1.2", "v1", "1.0.0", "20261345", "20260230", "2026-05-01"];

/** A tag ECR004 accepts: a 7-hex-digit SHA, v<major>.<minor>, a real YYYYMMDD date, latest. */
function validTag(rng) {
  const k = rng.int(10);
  if (k < 4) return rng.hex(7);
  if (k < 7) return `v${rng.between(0, 3)}.${rng.between(0, 20)}`;
  if (k < 9) return `2026${String(rng.between(1, 12)).padStart(2, "0")}${String(rng.between(1, 28)).padStart(2, "0")}`;
  return "latest";
}

/** Lifecycle rules of which none keeps the last N images of any tag status with action expire. */
function nonKeepingRule(rng) {
  const k = rng.int(5);
  if (k === 0) return expireUntagged(rng.pick([1, 7, 14, 30]));
  if (k === 1) return keepLast(rng.pick([5, 20, 30, 50]));
  if (k === 2) return keepLast(ORG.ecr.keepImages, "tagged", { tagPatternList: [rng.pick(["v*", "release-*", "prod*"])] });
  if (k === 3)
    return { ...keepLast(ORG.ecr.keepImages), description: "Archive beyond the last images", action: { type: "transition", targetStorageClass: "archive" } };
  return {
    description: "Expire old tagged images",
    selection: { tagStatus: "tagged", tagPrefixList: ["tmp", "pr-"], countType: "sinceImagePushed", countUnit: "days", countNumber: rng.pick([3, 10, 90]) },
    action: { type: "expire" },
  };
}

/**
 * Failure-heavy shape: a non-compliant repository fails several rules at once — its name (ECR001),
 * its lifecycle policy (no policy: ECR002 and ECR003; or 3–8 rules none of which keeps the last N
 * images: ECR003) and its image tags (5–30 images, at least two with a tag in no allowed format:
 * ECR004, out of scope for the shared namespace, which compliant names may use).
 */
function heavyRepositoryRules(rec, repo, rng, errors, name) {
  tally("ECR001", rec.compliant ? "pass" : "fail");
  if (rng.chance(ERROR_RATE)) {
    errors.push({
      resourceType: "AWS::ECR::Repository",
      operation: "GetLifecyclePolicy",
      resourceId: name,
      code: "AccessDeniedException",
      message: "User is not authorized to perform: ecr:GetLifecyclePolicy",
    });
    tally("ECR002", "error");
    tally("ECR003", "error");
  } else if (!rec.compliant && rng.chance(0.2)) {
    tally("ECR002", "fail");
    tally("ECR003", "fail");
  } else if (!rec.compliant) {
    repo.lifecyclePolicyText = lifecyclePolicy(Array.from({ length: rng.between(3, 8) }, () => nonKeepingRule(rng)));
    tally("ECR002", "pass");
    tally("ECR003", "fail");
  } else {
    const others = Array.from({ length: rng.int(3) }, () => nonKeepingRule(rng));
    others.splice(rng.int(others.length + 1), 0, keepLast(ORG.ecr.keepImages));
    repo.lifecyclePolicyText = lifecyclePolicy(others);
    tally("ECR002", "pass");
    tally("ECR003", "pass");
  }
  const count = rec.compliant ? rng.skewed(1, 20, 12) : rng.between(4, 16);
  const tags = [];
  for (let i = 0; i < count; i++) {
    const bad = !rec.compliant && (i < 2 || rng.chance(0.4));
    const untagged = !bad && rng.chance(0.1);
    tags.push(
      untagged
        ? undefined
        : bad
          ? [rng.pick(INVALID_TAGS), ...(rng.chance(0.3) ? [validTag(rng)] : [])]
          : rng.chance(0.15)
            ? [validTag(rng), validTag(rng)]
            : [validTag(rng)],
    );
  }
  if (!name.startsWith(`${ORG.company}-sagemaker-shared/`)) tally("ECR004", rec.compliant ? "pass" : "fail");
  return rng.shuffle(tags);
}

function buildRepository(rec, unit, errors) {
  const rng = new Rng(rec.seed);
  if (HEAVY) return buildHeavyRepository(rec, unit, errors, rng);
  const name = rec.id;
  tally("ECR001", rec.compliant ? "pass" : "fail");
  const repo = {
    repositoryArn: `arn:aws:ecr:${unit.region}:${unit.accountId}:repository/${name}`,
    registryId: unit.accountId,
    repositoryName: name,
    repositoryUri: `${unit.accountId}.dkr.ecr.${unit.region}.amazonaws.com/${name}`,
    createdAt: rng.date(2023, 2026),
    imageTagMutability: rng.chance(0.4) ? "IMMUTABLE" : "MUTABLE",
    imageScanningConfiguration: { scanOnPush: rng.chance(0.5) },
    encryptionConfiguration: rng.chance(0.5)
      ? { encryptionType: "KMS", kmsKey: `arn:aws:kms:${unit.region}:${unit.accountId}:key/${rng.uuid()}` }
      : { encryptionType: "AES256" },
  };
  // ECR002 / ECR003 on lifecyclePolicyText (GetLifecyclePolicy).
  if (rng.chance(ERROR_RATE)) {
    errors.push({
      resourceType: "AWS::ECR::Repository",
      operation: "GetLifecyclePolicy",
      resourceId: name,
      code: "AccessDeniedException",
      message: "User is not authorized to perform: ecr:GetLifecyclePolicy",
    });
    tally("ECR002", "error");
    tally("ECR003", "error");
  } else if (rng.chance(BAD)) {
    // No policy: both rules fail.
    tally("ECR002", "fail");
    tally("ECR003", "fail");
  } else if (rng.chance(BAD)) {
    // A policy, but not one that keeps the last N images of any tag status.
    const variant = rng.int(6);
    repo.lifecyclePolicyText =
      variant === 0
        ? lifecyclePolicy([keepLast(30)])
        : variant === 1
          ? lifecyclePolicy([expireUntagged(14)])
          : variant === 2
            ? lifecyclePolicy([keepLast(ORG.ecr.keepImages, "tagged", { tagPatternList: ["v*"] })])
            : variant === 3
              ? lifecyclePolicy([
                  {
                    ...keepLast(ORG.ecr.keepImages),
                    description: "Archive beyond the last images",
                    action: { type: "transition", targetStorageClass: "archive" },
                  },
                ])
              : variant === 4
                ? lifecyclePolicy([expireUntagged(7), keepLast(ORG.ecr.keepImages + 5)])
                : `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any"`; // truncated: not JSON
    tally("ECR002", "pass");
    tally("ECR003", "fail");
  } else {
    repo.lifecyclePolicyText = rng.chance(0.7)
      ? lifecyclePolicy([keepLast(ORG.ecr.keepImages)])
      : lifecyclePolicy([expireUntagged(rng.pick([1, 7, 14])), keepLast(ORG.ecr.keepImages)]);
    tally("ECR002", "pass");
    tally("ECR003", "pass");
  }
  // 1–20 images; most repositories hold one or two, a few hold many.
  const count = rng.skewed(1, 20, 12);
  const images = [];
  for (let i = 0; i < count; i++) {
    const image = {
      registryId: unit.accountId,
      repositoryName: name,
      imageDigest: `sha256:${rng.hex(64)}`,
    };
    if (rng.chance(0.9)) image.imageTags = rng.chance(0.15) ? [imageTag(rng), imageTag(rng)] : [imageTag(rng)];
    image.imageSizeInBytes = rng.between(150_000_000, 6_000_000_000);
    image.imagePushedAt = rng.date(2025, 2026);
    image.imageManifestMediaType = "application/vnd.docker.distribution.manifest.v2+json";
    image.artifactMediaType = "application/vnd.docker.container.image.v1+json";
    if (rng.chance(0.4)) image.lastRecordedPullTime = rng.date(2026, 2026);
    images.push(image);
  }
  repo.images = images;
  return repo;
}

function buildHeavyRepository(rec, unit, errors, rng) {
  const name = rec.id;
  const repo = {
    repositoryArn: `arn:aws:ecr:${unit.region}:${unit.accountId}:repository/${name}`,
    registryId: unit.accountId,
    repositoryName: name,
    repositoryUri: `${unit.accountId}.dkr.ecr.${unit.region}.amazonaws.com/${name}`,
    createdAt: rng.date(2023, 2026),
    imageTagMutability: rng.chance(0.4) ? "IMMUTABLE" : "MUTABLE",
    imageScanningConfiguration: { scanOnPush: rng.chance(0.5) },
    encryptionConfiguration: rng.chance(0.5)
      ? { encryptionType: "KMS", kmsKey: `arn:aws:kms:${unit.region}:${unit.accountId}:key/${rng.uuid()}` }
      : { encryptionType: "AES256" },
  };
  const tags = heavyRepositoryRules(rec, repo, rng, errors, name);
  repo.images = tags.map((imageTags) => {
    const image = { registryId: unit.accountId, repositoryName: name, imageDigest: `sha256:${rng.hex(64)}` };
    if (imageTags) image.imageTags = imageTags;
    image.imageSizeInBytes = rng.between(150_000_000, 6_000_000_000);
    image.imagePushedAt = rng.date(2025, 2026);
    image.imageManifestMediaType = "application/vnd.docker.distribution.manifest.v2+json";
    image.artifactMediaType = "application/vnd.docker.container.image.v1+json";
    if (rng.chance(0.4)) image.lastRecordedPullTime = rng.date(2026, 2026);
    return image;
  });
  return repo;
}

// ---------------------------------------------------------------------------------------------
// Model package groups (MR001 name, MR002 approved packages carry ModelQuality statistics).

function planModelPackageGroups(unit, count) {
  const rng = planRng(unit, "mpg");
  const used = new Set();
  const recs = [];
  let n = 0;
  for (let i = 0; i < count; i++) {
    const compliant = !rng.chance(BAD);
    const tag = (n++).toString(36);
    const project = rng.pick(ORG.projects);
    let name;
    if (compliant) {
      // {team}-<lowercase words>: the project itself once, then project variants.
      name = !used.has(project) && rng.chance(0.5) ? project : `${project}-${rng.pick(["v2", "xgb", "dnn", "gbm", "exp", "lite"])}-${tag}`;
    } else {
      const variant = rng.int(5);
      name =
        variant === 0
          ? `FraudModels${tag}` // camel case, no team
          : variant === 1
            ? `risk-${project.replace(/^(rc|algo)-/, "")}-${tag}` // first word not a team
            : variant === 2
              ? `rcx-${project.replace(/^(rc|algo)-/, "")}-${tag}` // only starts like a team
              : variant === 3
                ? `${rng.pick(ORG.teams)}-Model-${tag}` // uppercase after the team
                : `${rng.pick(ORG.teams)}${tag}`; // team glued to a word, no hyphen
    }
    if (used.has(name)) throw new Error(`duplicate model package group ${name}`);
    used.add(name);
    // DescribeModelPackage failed for the group: decided here, because it changes KMS004's scope
    // for the whole region (see buildKey), and keys are written before model package groups.
    const failed = rng.chance(PACKAGE_ERROR_RATE);
    if (failed) unit.describeModelPackageFailures++;
    recs.push({ id: name, compliant, failed, seed: itemSeed(unit, "mpg", i) });
  }
  return recs.sort(byId);
}

function buildModelPackageGroup(rec, unit, errors) {
  const rng = new Rng(rec.seed);
  const name = rec.id;
  const lower = name.toLowerCase();
  tally("MR001", rec.compliant ? "pass" : "fail");
  const executionRole = `arn:aws:sts::${unit.accountId}:assumed-role/${ORG.tagPrefix}-platform-execution/SageMaker`;
  const principalId = `AROA${rng.hex(17).toUpperCase()}:SageMaker`;
  const group = {
    ModelPackageGroupName: name,
    ModelPackageGroupArn: `arn:aws:sagemaker:${unit.region}:${unit.accountId}:model-package-group/${lower}`,
    CreationTime: rng.date(2024, 2026),
    CreatedBy: { IamIdentity: { Arn: executionRole, PrincipalId: principalId } },
    ModelPackageGroupStatus: "Completed",
    ModelPackageGroupDescription: args.unicode && rng.chance(0.1) ? rng.pick(UNICODE_NOTES) : `${name} models`,
  };
  if (rec.failed) {
    // DescribeModelPackage failed: the versions are unknown, MR002 cannot be evaluated.
    errors.push({
      resourceType: "AWS::SageMaker::ModelPackageGroup",
      operation: "DescribeModelPackage",
      resourceId: name,
      code: "ThrottlingException",
      message: "Rate exceeded",
    });
    tally("MR002", "error");
    if (HEAVY) {
      tally("MR003", "error");
      tally("MR004", "error");
    }
    return group;
  }
  if (HEAVY) {
    group.ModelPackages = heavyPackages(rec, unit, rng, name, group.CreatedBy);
    return group;
  }
  // 1–6 versions per group, most groups having one or two.
  const count = rng.skewed(1, 6, 8);
  const statuses = Array.from({ length: count }, () => rng.pick(["Approved", "Approved", "PendingManualApproval", "Rejected"]));
  // MR002: non-compliant groups have one Approved version without ModelQuality statistics.
  const bad = rng.chance(BAD);
  let badVersion = -1;
  if (bad) {
    if (!statuses.includes("Approved")) statuses[count - 1] = "Approved";
    const approved = statuses.flatMap((s, i) => (s === "Approved" ? [i] : []));
    badVersion = rng.pick(approved);
  }
  tally("MR002", bad ? "fail" : "pass");
  const bucket = `s3://${ORG.tagPrefix}-${lower}-${unit.accountId}`;
  group.ModelPackages = statuses.map((status, i) => {
    const version = i + 1;
    const jobName = `${lower}-${rng.pick(["xgb", "lgbm", "bert", "dnn"])}-2026${String(rng.between(1, 11)).padStart(2, "0")}${String(rng.between(10, 28))}`;
    const pkg = {
      ModelPackageName: name,
      ModelPackageGroupName: name,
      ModelPackageVersion: version,
      ModelPackageArn: `arn:aws:sagemaker:${unit.region}:${unit.accountId}:model-package/${lower}/${version}`,
      ModelPackageDescription: `${rng.pick(["XGBoost", "LightGBM", "BERT fine-tune", "Two-tower DNN"])} candidate ${version}`,
      CreationTime: rng.date(2025, 2026),
      InferenceSpecification: {
        Containers: [
          {
            Image: `${unit.accountId}.dkr.ecr.${unit.region}.amazonaws.com/${ORG.company}-sm-${rng.pick(ORG.projects)}/inference:v1.${rng.between(0, 30)}`,
            ImageDigest: `sha256:${rng.hex(64)}`,
            ModelDataUrl: `${bucket}/models/${jobName}/output/model.tar.gz`,
          },
        ],
        SupportedRealtimeInferenceInstanceTypes: ["ml.m5.large", "ml.m5.xlarge"],
        SupportedContentTypes: ["text/csv"],
        SupportedResponseMIMETypes: ["text/csv"],
      },
      ModelPackageStatus: "Completed",
      ModelPackageStatusDetails: { ValidationStatuses: [], ImageScanStatuses: [] },
      CertifyForMarketplace: false,
      ModelApprovalStatus: status,
    };
    if (status === "Rejected" && rng.chance(0.85)) pkg.ApprovalDescription = rng.pick(["Performance regression", "AUC below baseline", "Bias report failed"]);
    if (status === "Approved" && rng.chance(0.5)) pkg.ApprovalDescription = "Offline metrics above baseline";
    pkg.CreatedBy = { IamIdentity: { Arn: executionRole, PrincipalId: principalId } };
    if (rng.chance(0.9)) pkg.CustomerMetadataProperties = { TrainingJobName: jobName, GitCommit: rng.hex(7), TrainedBy: rng.pick(PEOPLE) };
    const statistics = { ContentType: "application/json", S3Uri: `${bucket}/metrics/${jobName}/evaluation.json` };
    const constraints = { ContentType: "application/json", S3Uri: `${bucket}/metrics/${jobName}/constraints.json` };
    if (i === badVersion) {
      const variant = rng.int(3);
      if (variant === 1) pkg.ModelMetrics = { ModelDataQuality: { Statistics: statistics } };
      else if (variant === 2) pkg.ModelMetrics = { ModelQuality: { Constraints: constraints } };
      // variant 0: no ModelMetrics at all
    } else if (status === "Approved" || rng.chance(0.5)) {
      pkg.ModelMetrics = { ModelQuality: rng.chance(0.5) ? { Statistics: statistics, Constraints: constraints } : { Statistics: statistics } };
    }
    pkg.SkipModelValidation = "None";
    return pkg;
  });
  return group;
}

/**
 * Failure-heavy shape: the versions of a group. A non-compliant group (its name already fails
 * MR001) has 8–20 versions and fails MR002, MR003 and MR004 at once: about half of its Approved
 * versions lack ModelQuality statistics, a third of its versions lack lineage metadata, half of
 * its Rejected versions lack the reason (at least one of each). A compliant group has 1–6
 * versions with everything.
 */
function heavyPackages(rec, unit, rng, name, createdBy) {
  const lower = name.toLowerCase();
  const bad = !rec.compliant;
  const count = bad ? rng.between(6, 14) : rng.skewed(1, 6, 8);
  const statuses = Array.from({ length: count }, () => rng.pick(["Approved", "Approved", "PendingManualApproval", "Rejected"]));
  if (bad) {
    statuses[0] = "Approved";
    statuses[1] = "Rejected";
  }
  const noStats = new Set();
  const noMetadata = new Set();
  const noReason = new Set();
  if (bad) {
    statuses.forEach((status, i) => {
      if (status === "Approved" && (i === 0 || rng.chance(0.5))) noStats.add(i);
      if (status === "Rejected" && (i === 1 || rng.chance(0.5))) noReason.add(i);
      if (i === count - 1 || rng.chance(0.33)) noMetadata.add(i);
    });
  }
  tally("MR002", bad ? "fail" : "pass");
  tally("MR003", bad ? "fail" : "pass");
  tally("MR004", bad ? "fail" : "pass");
  const bucket = `s3://${ORG.tagPrefix}-${lower}-${unit.accountId}`;
  return statuses.map((status, i) => {
    const version = i + 1;
    const jobName = `${lower}-${rng.pick(["xgb", "lgbm", "bert", "dnn"])}-2026${String(rng.between(1, 11)).padStart(2, "0")}${String(rng.between(10, 28))}`;
    const pkg = {
      ModelPackageName: name,
      ModelPackageGroupName: name,
      ModelPackageVersion: version,
      ModelPackageArn: `arn:aws:sagemaker:${unit.region}:${unit.accountId}:model-package/${lower}/${version}`,
      ModelPackageDescription: `${rng.pick(["XGBoost", "LightGBM", "BERT fine-tune", "Two-tower DNN"])} candidate ${version}`,
      CreationTime: rng.date(2025, 2026),
      InferenceSpecification: {
        Containers: [
          {
            Image: `${unit.accountId}.dkr.ecr.${unit.region}.amazonaws.com/${ORG.company}-sm-${rng.pick(ORG.projects)}/inference:v1.${rng.between(0, 30)}`,
            ImageDigest: `sha256:${rng.hex(64)}`,
            ModelDataUrl: `${bucket}/models/${jobName}/output/model.tar.gz`,
          },
        ],
        SupportedRealtimeInferenceInstanceTypes: ["ml.m5.large", "ml.m5.xlarge"],
        SupportedContentTypes: ["text/csv"],
        SupportedResponseMIMETypes: ["text/csv"],
      },
      ModelPackageStatus: "Completed",
      ModelPackageStatusDetails: { ValidationStatuses: [], ImageScanStatuses: [] },
      CertifyForMarketplace: false,
      ModelApprovalStatus: status,
    };
    if (status === "Rejected" && !noReason.has(i)) pkg.ApprovalDescription = rng.pick(["Performance regression", "AUC below baseline", "Bias report failed"]);
    if (status === "Approved" && rng.chance(0.5)) pkg.ApprovalDescription = "Offline metrics above baseline";
    pkg.CreatedBy = structuredClone(createdBy);
    if (!noMetadata.has(i)) pkg.CustomerMetadataProperties = { TrainingJobName: jobName, GitCommit: rng.hex(7), TrainedBy: rng.pick(PEOPLE) };
    else if (rng.chance(0.5)) pkg.CustomerMetadataProperties = { TrainingJobName: jobName }; // GitCommit and TrainedBy missing
    const statistics = { ContentType: "application/json", S3Uri: `${bucket}/metrics/${jobName}/evaluation.json` };
    const constraints = { ContentType: "application/json", S3Uri: `${bucket}/metrics/${jobName}/constraints.json` };
    if (noStats.has(i)) {
      if (rng.chance(0.5)) pkg.ModelMetrics = { ModelDataQuality: { Statistics: statistics } };
    } else if (status === "Approved" || rng.chance(0.5)) {
      pkg.ModelMetrics = { ModelQuality: rng.chance(0.5) ? { Statistics: statistics, Constraints: constraints } : { Statistics: statistics } };
    }
    pkg.SkipModelValidation = "None";
    return pkg;
  });
}

// ---------------------------------------------------------------------------------------------
// KMS keys (KMS004: in scope = customer managed, not pending deletion, an alias/sagemaker-*
// alias; nothing in these snapshots references keys by KmsKeyId, so aliases decide the scope).

function planKeys(unit, count) {
  const rng = planRng(unit, "kms");
  const recs = [];
  for (let i = 0; i < count; i++) recs.push({ id: rng.uuid(), seed: itemSeed(unit, "kms", i) });
  recs.sort(byId);
  // Aliases are unique per region: hand them out in id order so they are deterministic.
  const awsAliases = AWS_MANAGED_ALIASES.slice();
  let n = 0;
  for (const rec of recs) {
    const rng2 = new Rng(mix(rec.seed, 1));
    const tag = (n++).toString(36);
    if (awsAliases.length > 0 && rng2.chance(0.15)) {
      rec.kind = "aws";
      rec.aliases = [`alias/aws/${awsAliases.shift()}`];
    } else if (rng2.chance(0.55)) {
      rec.kind = "sagemaker";
      rec.aliases = [`alias/sagemaker-${rng2.pick(ORG.projects)}-${tag}`];
      if (rng2.chance(0.2)) rec.aliases.push(`alias/${rng2.pick(ORG.projects)}-artifacts-${tag}`);
    } else {
      rec.kind = "other";
      rec.aliases = rng2.chance(0.8) ? [`alias/${rng2.pick(APPS)}-${rng2.pick(["db", "s3", "secrets", "backup"])}-${tag}`] : [];
    }
  }
  return recs;
}

function buildKey(rec, unit, errors) {
  const rng = new Rng(rec.seed);
  const arn = `arn:aws:kms:${unit.region}:${unit.accountId}:key/${rec.id}`;
  const customer = rec.kind !== "aws";
  const state = customer ? (rng.chance(0.03) ? "PendingDeletion" : rng.chance(0.03) ? "Disabled" : "Enabled") : "Enabled";
  // KMS004's scope (definitions.yaml kmsKeyInScope): customer managed, not pending deletion, and an
  // alias/sagemaker-* alias or a reference from a SageMaker resource. No SageMaker resource here
  // names a key, but when DescribeModelPackage failed for some group of the region, the engine
  // cannot rule out that the unread versions reference the key: every customer key without a
  // sagemaker alias then gets `error` (the scope cannot be decided) instead of no result.
  const candidate = customer && state !== "PendingDeletion";
  const inScope = candidate && rec.kind === "sagemaker";
  if (candidate && !inScope && unit.describeModelPackageFailures > 0) tally("KMS004", "error");
  const root = {
    Sid: "Enable IAM User Permissions",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${unit.accountId}:root` },
    Action: "kms:*",
    Resource: "*",
  };
  const statements = [root];
  if (!customer) {
    statements[0] = {
      Sid: "Allow access through the service for all principals in the account that are authorized to use it",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
      Resource: "*",
      Condition: { StringEquals: { "kms:CallerAccount": unit.accountId, "kms:ViaService": `${rec.aliases[0].slice(10)}.${unit.region}.amazonaws.com` } },
    };
    statements.push({
      Sid: "Allow direct access to key metadata to the account",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${unit.accountId}:root` },
      Action: ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"],
      Resource: "*",
    });
  } else {
    statements.push({
      Sid: "Allow SageMaker to use the key",
      Effect: "Allow",
      Principal: { Service: "sagemaker.amazonaws.com" },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": unit.accountId } },
    });
    if (rng.chance(0.3)) {
      statements.push({
        Sid: "Allow attachment of persistent resources",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${unit.accountId}:role/${ORG.tagPrefix}-platform-execution` },
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      });
    }
  }
  let policyFailed = false;
  if (rng.chance(ERROR_RATE)) {
    policyFailed = true;
    errors.push({
      resourceType: "AWS::KMS::Key",
      operation: "GetKeyPolicy",
      resourceId: rec.id,
      code: "AccessDeniedException",
      message: "User is not authorized to perform: kms:GetKeyPolicy",
    });
    if (inScope) tally("KMS004", "error");
  } else if (customer && rng.chance(BAD)) {
    // An Allow for everyone without a Condition (also on keys out of scope: those are not counted).
    const variant = rng.int(4);
    const open = { Sid: "Allow decrypt for artifact consumers", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" };
    if (variant === 1) open.Principal = { AWS: "*" };
    if (variant === 2) open.Principal = { AWS: [`arn:aws:iam::${unit.accountId}:role/${ORG.tagPrefix}-consumer`, "*"] };
    if (variant === 3) open.Condition = {}; // an empty Condition is no Condition
    statements.push(open);
    if (inScope) tally("KMS004", "fail");
  } else {
    // Near misses that pass: "*" with a Condition, or a Deny for everyone.
    const variant = rng.int(6);
    if (variant === 0)
      statements.push({
        Sid: "ViaSageMaker",
        Effect: "Allow",
        Principal: "*",
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { StringEquals: { "kms:CallerAccount": unit.accountId, "kms:ViaService": `sagemaker.${unit.region}.amazonaws.com` } },
      });
    if (variant === 1) statements.push({ Sid: "NoDeletion", Effect: "Deny", Principal: "*", Action: "kms:ScheduleKeyDeletion", Resource: "*" });
    if (inScope) tally("KMS004", "pass");
  }
  const key = {
    KeyId: rec.id,
    AWSAccountId: unit.accountId,
    Arn: arn,
    CreationDate: rng.date(2022, 2026),
    Enabled: state === "Enabled",
    Description: customer
      ? rec.kind === "sagemaker"
        ? "SageMaker key for ML project data"
        : `${rng.pick(APPS)} data key`
      : `Default key that protects my ${rec.aliases[0].slice(10)} data when no other key is defined`,
    KeyUsage: "ENCRYPT_DECRYPT",
    KeyState: state,
  };
  if (state === "PendingDeletion") {
    key.DeletionDate = "2026-12-05T02:00:00.000Z";
    key.PendingDeletionWindowInDays = 7;
  }
  Object.assign(key, {
    Origin: "AWS_KMS",
    KeyManager: customer ? "CUSTOMER" : "AWS",
    CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
    KeySpec: "SYMMETRIC_DEFAULT",
    EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
    MultiRegion: false,
  });
  if (!policyFailed) key.Policy = kmsPretty({ Version: "2012-10-17", Id: customer ? "key-consolepolicy-3" : "auto-service-key", Statement: statements });
  key.KeyRotationEnabled = !customer || rng.chance(0.7);
  key.Aliases = rec.aliases.map((alias) => ({
    AliasName: alias,
    AliasArn: `arn:aws:kms:${unit.region}:${unit.accountId}:${alias}`,
    TargetKeyId: rec.id,
    CreationDate: key.CreationDate,
    LastUpdatedDate: key.CreationDate,
  }));
  return key;
}

// ---------------------------------------------------------------------------------------------
// CloudWatch log groups (LOG001: the SageMaker groups keep logs exactly the design's period).

function planLogGroups(unit, count) {
  const rng = planRng(unit, "logs");
  const recs = [];
  const add = (name, kind) => recs.push({ id: name, kind, seed: itemSeed(unit, "logs", recs.length) });
  // One of each per region, as SageMaker creates them.
  for (const [name, kind] of [
    ["/aws/sagemaker/TrainingJobs", "trainingJobs"],
    ["/aws/sagemaker/ProcessingJobs", "processingJobs"],
    ["/aws/sagemaker/studio", "studio"],
  ]) {
    if (recs.length < count) add(name, kind);
  }
  const otherSageMaker = [
    "/aws/sagemaker/NotebookInstances",
    "/aws/sagemaker/TransformJobs",
    "/aws/sagemaker/InferenceRecommendationsJobs",
    "/aws/sagemaker/LabelingJobs",
    "/aws/sagemaker/TrainingJobs-archive",
  ];
  let n = 0;
  while (recs.length < count) {
    const tag = (n++).toString(36);
    const roll = rng.next();
    if (roll < 0.3) {
      // Endpoint groups: mostly {team}-{project}-… names (LOG002), some not.
      const endpoint = rng.chance(0.9)
        ? `${rng.pick(ORG.projects)}-${rng.pick(ENDPOINT_KINDS)}-${tag}`
        : `${rng.pick(["demo-endpoint", "FraudEndpoint", "test"])}-${tag}`;
      add(`/aws/sagemaker/Endpoints/${endpoint}`, "endpoints");
    } else if (roll < 0.31 && otherSageMaker.length > 0) {
      add(otherSageMaker.shift(), "other"); // SageMaker's, but not a kind of the design: out of scope
    } else if (roll < 0.32) {
      add(`/aws/sagemaker/Clusters/${rng.pick(ORG.projects)}-hyperpod-${tag}/${rng.hex(12)}`, "other");
    } else {
      const app = rng.pick(APPS);
      const style = rng.int(10);
      add(
        style < 5
          ? `/aws/lambda/${app}-${rng.pick(FUNCS)}-${tag}`
          : style === 5
            ? `/aws/codebuild/${app}-${rng.pick(ENVS)}-${tag}`
            : style === 6
              ? `/ecs/${app}-${rng.pick(ENVS)}-${tag}`
              : style === 7
                ? `/aws/rds/instance/${app}-db-${tag}/postgresql`
                : style === 8
                  ? `API-Gateway-Execution-Logs_${rng.hex(10)}${tag}/prod`
                  : `/aws/vendedlogs/states/${app}-${rng.pick(FUNCS)}-${tag}`,
        "other",
      );
    }
  }
  return recs.sort(byId);
}

function buildLogGroup(rec, unit) {
  const rng = new Rng(rec.seed);
  const name = rec.id;
  let retention;
  if (rec.kind === "other") {
    retention = rng.chance(0.3) ? undefined : rng.pick(RETENTIONS);
  } else {
    const expected = ORG.logRetentionDays[rec.kind];
    if (rng.chance(BAD)) {
      // Wrong period, or no retention at all ("never expire").
      if (rng.chance(0.3)) retention = undefined;
      else
        do retention = rng.pick(RETENTIONS);
        while (retention === expected);
      tally("LOG001", "fail");
    } else {
      retention = expected;
      tally("LOG001", "pass");
    }
  }
  const arn = `arn:aws:logs:${unit.region}:${unit.accountId}:log-group:${name}`;
  const group = { logGroupName: name, creationTime: 1_700_000_000_000 + rng.int(95_000_000_000) };
  if (retention !== undefined) group.retentionInDays = retention;
  group.metricFilterCount = rng.chance(0.8) ? 0 : rng.between(1, 4);
  group.arn = `${arn}:*`;
  group.storedBytes = rng.int(50_000_000_000);
  if (rng.chance(0.25)) group.kmsKeyId = `arn:aws:kms:${unit.region}:${unit.accountId}:key/${rng.uuid()}`;
  group.logGroupClass = rng.chance(0.9) ? "STANDARD" : "INFREQUENT_ACCESS";
  group.logGroupArn = arn;
  return group;
}

// ---------------------------------------------------------------------------------------------
// Writing

mkdirSync(dirname(out), { recursive: true });
const tmp = `${out}.tmp-${process.pid}`;
const w = new ChunkWriter(tmp);
const started = process.hrtime.bigint();
const written = {
  "AWS::EC2::SecurityGroup": 0,
  "AWS::EC2::Subnet": 0,
  "AWS::EC2::VPC": 0,
  "AWS::ECR::Repository": 0,
  "AWS::KMS::Key": 0,
  "AWS::Logs::LogGroup": 0,
  "AWS::SageMaker::ModelPackageGroup": 0,
};
let errorCount = 0;

/** Writes one type's array: each resource built from its plan record, serialised, then dropped. */
function writeType(type, recs, build, unit, errors, last) {
  w.write(`${JSON.stringify(type)}:[`);
  recs.forEach((rec, i) => {
    w.write(i === 0 ? "\n" : ",\n");
    w.write(JSON.stringify(build(rec, unit, errors)));
  });
  w.write(last ? "\n]" : "\n],\n");
  written[type] += recs.length;
}

w.write(`{"snapshotVersion":1,"collectedAt":${JSON.stringify(COLLECTED_AT)},"collector":{"name":"sagegate-bench","version":"1.0.0"},"accounts":[`);
let previousAccount;
for (const unit of units) {
  const u = unit.index;
  if (unit.accountId !== previousAccount) {
    if (previousAccount !== undefined) w.write("]}");
    w.write(`${previousAccount !== undefined ? "," : ""}\n{"accountId":${JSON.stringify(unit.accountId)},"regions":[`);
    previousAccount = unit.accountId;
  } else {
    w.write(",");
  }
  w.write(`\n{"region":${JSON.stringify(unit.region)},"resources":{\n`);
  const errors = [];
  // Plan every type first (ids, names, scope decisions), then build and write in type order.
  unit.describeModelPackageFailures = 0;
  const network = planNetwork(unit);
  const groups = planSecurityGroups(unit, share(typeTotals.securityGroups, u));
  const repositories = planRepositories(unit, share(typeTotals.repositories, u));
  const keys = planKeys(unit, share(typeTotals.keys, u));
  const logGroups = planLogGroups(unit, share(typeTotals.logGroups, u));
  const packageGroups = planModelPackageGroups(unit, share(typeTotals.modelPackageGroups, u));
  writeType("AWS::EC2::SecurityGroup", groups, buildSecurityGroup, unit, errors);
  writeType("AWS::EC2::Subnet", network.subnets, buildSubnet, unit, errors);
  writeType("AWS::EC2::VPC", network.vpcs, buildVpc, unit, errors);
  writeType("AWS::ECR::Repository", repositories, buildRepository, unit, errors);
  writeType("AWS::KMS::Key", keys, buildKey, unit, errors);
  writeType("AWS::Logs::LogGroup", logGroups, buildLogGroup, unit, errors);
  writeType("AWS::SageMaker::ModelPackageGroup", packageGroups, buildModelPackageGroup, unit, errors, true);
  errors.sort((a, b) =>
    a.resourceType < b.resourceType ? -1 : a.resourceType > b.resourceType ? 1 : a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0,
  );
  w.write(`},"errors":[${errors.map((e) => `\n${JSON.stringify(e)}`).join(",")}]}`);
  errorCount += errors.length;
}
w.write("]}\n]}\n");
w.close();
renameSync(tmp, out);

const resources = Object.values(written).reduce((a, b) => a + b, 0);
if (resources !== total) throw new Error(`wrote ${resources} resources, expected ${total}`);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const summary = {
  generator: "bench/generate.mjs",
  snapshot: out,
  config: "bench/sagegate.config.yaml",
  shape: args.shape,
  seed,
  unicode: args.unicode,
  resources,
  accounts,
  regionsPerAccount,
  bytes: w.bytes,
  byType: written,
  collectionErrors: errorCount,
  // Expected results per rule: pass, fail, error. Out-of-scope resources have no result.
  rules: answer,
};
writeFileSync(`${out}.answer.json`, `${JSON.stringify(summary, null, 2)}\n`);
if (!args.quiet) {
  console.log(
    `wrote ${out}: ${resources} resources, ${(w.bytes / 2 ** 20).toFixed(1)} MiB, ${accounts} account(s) × ${regionsPerAccount} region(s), ${seconds.toFixed(1)} s`,
  );
  console.log(`answer: ${out}.answer.json`);
}
