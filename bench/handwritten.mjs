// The comparators of issues 6 and 18: the answer rules written by hand in plain JavaScript, with
// the semantics of the catalogue's YAML (scopes, `error` when the data a rule reads was not
// collected), and the parse-only floor.
//
//   node bench/handwritten.mjs parse    <snapshot.json>   read the file + JSON.parse, nothing else
//   node bench/handwritten.mjs whole    <snapshot.json>   JSON.parse of the whole file + the rules
//   node bench/handwritten.mjs streamed <snapshot.json>   scanJson spans (dist/snapshot/scan.js),
//                                                          each resource JSON.parse'd alone + the rules
//   node bench/handwritten.mjs streamed <snapshot.json> --report FILE
//                                                          the same, writing one JSON line per result
//                                                          (rule, status, resource, and for failures a
//                                                          message and the evidence) to FILE
//   --rules ID,ID,…  the rules to check (default: the eight of org.mjs ANSWER_RULES; the failure-
//                    heavy shape's answer has seventeen, FAILURE_HEAVY_ANSWER_RULES)
//
// Prints one JSON line: {mode, seconds, peakRssMiB, resources, counts} where counts is
// {ruleId: {pass, fail, error}}. `seconds` is measured from process start (node's time origin).
// `parse` and `whole` need the file as one string: beyond V8's limit (~512M characters) they
// print {failed: "longer than V8's string limit …"} and exit 0, which bench/run.mjs reports as n/a.
//
// SAGEGATE_DIST (default ../dist/ next to this file) points at a sagegate build for scanJson.

import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { ANSWER_RULES, FAILURE_HEAVY_ANSWER_RULES, ORG, WORKLOAD_GROUPS } from "./org.mjs";

// ---------------------------------------------------------------------------------------------
// Collection errors of one region: was the call that produced a field made successfully?

const LIST_OPERATIONS = {
  "AWS::ECR::Repository": "DescribeRepositories",
  "AWS::KMS::Key": "ListKeys",
  "AWS::SageMaker::ModelPackageGroup": "ListModelPackageGroups",
  "AWS::SageMaker::TrainingJob": "ListTrainingJobs",
  "AWS::SageMaker::ProcessingJob": "ListProcessingJobs",
  "AWS::SageMaker::Endpoint": "ListEndpoints",
};

class RegionErrors {
  constructor(errors) {
    this.keys = new Set();
    this.types = new Set();
    for (const e of errors) {
      this.keys.add(`${e.resourceType}\u0000${e.operation}\u0000${e.resourceId ?? ""}`);
      this.types.add(e.resourceType);
    }
  }
  /** True when `operation` failed for this resource or for the whole region. */
  failed(type, operation, id) {
    if (!this.types.has(type)) return false;
    return this.keys.has(`${type}\u0000${operation}\u0000${id}`) || this.keys.has(`${type}\u0000${operation}\u0000`);
  }
  any(type) {
    return this.types.has(type);
  }
}

// ---------------------------------------------------------------------------------------------
// The rules

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const alternation = (list) => `(?:${list.map(escape).join("|")})`;

const SAGEMAKER_LOG_GROUP = /^\/aws\/sagemaker\/(ProcessingJobs|TrainingJobs|studio)$|^\/aws\/sagemaker\/Endpoints\/./i;
const RETENTION_CASES = [
  [/^\/aws\/sagemaker\/ProcessingJobs$/i, ORG.logRetentionDays.processingJobs],
  [/^\/aws\/sagemaker\/TrainingJobs$/i, ORG.logRetentionDays.trainingJobs],
  [/^\/aws\/sagemaker\/Endpoints\//i, ORG.logRetentionDays.endpoints],
  [/^\/aws\/sagemaker\/Studio$/i, ORG.logRetentionDays.studio],
];
const REPOSITORY_NAME = new RegExp(
  `^${escape(ORG.company)}-sagemaker-shared/[a-z0-9]+(?:[._-][a-z0-9]+)*$|^${escape(ORG.company)}-sm-${alternation(ORG.projects)}/(?:preprocessing|training|inference)$`,
);
const GROUP_NAME = new RegExp(`^${alternation(ORG.teams)}(?:-[a-z0-9]+)+$`);
const SAGEMAKER_TYPES = ["AWS::SageMaker::TrainingJob", "AWS::SageMaker::ProcessingJob", "AWS::SageMaker::Endpoint", "AWS::SageMaker::ModelPackageGroup"];
const WORKLOAD = new Set(WORKLOAD_GROUPS);

const isEmpty = (v) =>
  v === undefined ||
  v === null ||
  v === "" ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0);

function LOG001(group) {
  const name = group.logGroupName;
  if (typeof name !== "string" || !SAGEMAKER_LOG_GROUP.test(name)) return undefined;
  for (const [pattern, days] of RETENTION_CASES) if (pattern.test(name)) return group.retentionInDays === days ? "pass" : "fail";
  return "pass";
}

function ECR001(repo) {
  return typeof repo.repositoryName === "string" && REPOSITORY_NAME.test(repo.repositoryName) ? "pass" : "fail";
}

function ECR002(repo, errors) {
  if (errors.failed("AWS::ECR::Repository", "GetLifecyclePolicy", repo.repositoryName)) return "error";
  return repo.lifecyclePolicyText !== undefined ? "pass" : "fail";
}

function ECR003(repo, errors) {
  if (errors.failed("AWS::ECR::Repository", "GetLifecyclePolicy", repo.repositoryName)) return "error";
  if (typeof repo.lifecyclePolicyText !== "string") return "fail";
  let policy;
  try {
    policy = JSON.parse(repo.lifecyclePolicyText);
  } catch {
    return "fail";
  }
  const rules = Array.isArray(policy?.rules) ? policy.rules : [];
  const keeps = rules.some(
    (r) =>
      r?.selection?.tagStatus === "any" &&
      r.selection.countType === "imageCountMoreThan" &&
      r.selection.countNumber === ORG.ecr.keepImages &&
      r.action?.type === "expire",
  );
  return keeps ? "pass" : "fail";
}

function MR001(group) {
  return typeof group.ModelPackageGroupName === "string" && GROUP_NAME.test(group.ModelPackageGroupName) ? "pass" : "fail";
}

function MR002(group, errors) {
  if (errors.failed("AWS::SageMaker::ModelPackageGroup", "DescribeModelPackage", group.ModelPackageGroupName)) return "error";
  const packages = Array.isArray(group.ModelPackages) ? group.ModelPackages : [];
  for (const p of packages) {
    if (p?.ModelApprovalStatus === "Approved" && isEmpty(p.ModelMetrics?.ModelQuality?.Statistics?.S3Uri)) return "fail";
  }
  return "pass";
}

function SG009(sg) {
  if (!WORKLOAD.has(sg.GroupName)) return undefined;
  for (const p of Array.isArray(sg.IpPermissions) ? sg.IpPermissions : []) {
    if ((p.IpRanges ?? []).some((r) => r.CidrIp === "0.0.0.0/0")) return "fail";
    if ((p.Ipv6Ranges ?? []).some((r) => r.CidrIpv6 === "::/0")) return "fail";
  }
  return "pass";
}

// The purpose groups' flow tables (§2.2): only these rows, entry by entry (one entry per source).
const TABLES = {
  SG003: {
    group: `${ORG.tagPrefix}-training`,
    direction: "IpPermissions",
    rows: [
      ["all", undefined, "self"],
      ["tcp", 443, "vpcCidr"],
    ],
  },
  SG004: {
    group: `${ORG.tagPrefix}-training`,
    direction: "IpPermissionsEgress",
    rows: [
      ["tcp", 443, "any"],
      ["all", undefined, "self"],
    ],
  },
  SG005: {
    group: `${ORG.tagPrefix}-processing`,
    direction: "IpPermissions",
    rows: [
      ["all", undefined, "self"],
      ["tcp", 443, "vpcCidr"],
    ],
  },
  SG006: {
    group: `${ORG.tagPrefix}-processing`,
    direction: "IpPermissionsEgress",
    rows: [
      ["tcp", 443, "any"],
      ["all", undefined, "self"],
    ],
  },
  SG007: {
    group: `${ORG.tagPrefix}-inference`,
    direction: "IpPermissions",
    rows: [
      ["tcp", 443, "vpcCidr"],
      ["tcp", 8080, "vpcCidr"],
    ],
  },
  SG008: { group: `${ORG.tagPrefix}-inference`, direction: "IpPermissionsEgress", rows: [["tcp", 443, "any"]] },
};
const PROTOCOLS = { "-1": "all", all: "all", tcp: "tcp", 6: "tcp", udp: "udp", 17: "udp", icmp: "icmp", 1: "icmp", icmpv6: "icmpv6", 58: "icmpv6" };
const protocolOf = (p) => (Object.hasOwn(PROTOCOLS, String(p).toLowerCase()) ? PROTOCOLS[String(p).toLowerCase()] : String(p));

/** "10.1.0.0/16" → [network, prefix] as unsigned 32-bit numbers; undefined for anything else. */
function ipv4Cidr(text) {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [(((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) & mask) >>> 0, prefix];
}
const contains = (outer, inner) => inner[1] >= outer[1] && (outer[1] === 0 || inner[0] >>> (32 - outer[1]) === outer[0] >>> (32 - outer[1]));

/** Every (permission, source) entry of a direction that is no row of the table: empty = pass. */
function tableViolations(sg, table, vpcBlocks) {
  const bad = [];
  for (const p of Array.isArray(sg[table.direction]) ? sg[table.direction] : []) {
    const protocol = protocolOf(p.IpProtocol);
    const wholeRange = p.FromPort === -1 || (p.FromPort <= 0 && p.ToPort >= 65535);
    const ports = (protocol === "tcp" || protocol === "udp") && typeof p.FromPort === "number" && !wholeRange ? [p.FromPort, p.ToPort] : undefined;
    const sources = [
      ...(p.IpRanges ?? []).map((r) => ({ kind: "ipv4", value: r.CidrIp, cidr: ipv4Cidr(r.CidrIp ?? "") })),
      ...(p.Ipv6Ranges ?? []).map((r) => ({ kind: "ipv6", value: r.CidrIpv6 })),
      ...(p.PrefixListIds ?? []).map((r) => ({ kind: "prefixList", value: r.PrefixListId })),
      ...(p.UserIdGroupPairs ?? []).map((r) => ({ kind: "securityGroup", value: r.GroupId ?? r.GroupName })),
    ];
    for (const source of sources) {
      const isRow = table.rows.some(([rowProtocol, port, from]) => {
        if (protocol !== rowProtocol) return false;
        if (rowProtocol !== "all" && port !== undefined && !(ports && ports[0] === port && ports[1] === port)) return false;
        if (from === "any") return true;
        if (from === "self") return source.kind === "securityGroup" && source.value === sg.GroupId;
        return source.kind === "ipv4" && source.cidr !== undefined && vpcBlocks.some((block) => contains(block, source.cidr));
      });
      if (!isRow) bad.push({ permission: `${protocol}${ports ? ` ${ports[0]}-${ports[1]}` : ""}`, source: source.value, sourceType: source.kind });
    }
  }
  return bad;
}

function sgTable(rule) {
  const table = TABLES[rule];
  return (sg, _errors, vpcs) => {
    if (sg.GroupName !== table.group) return undefined;
    const bad = tableViolations(sg, table, vpcs.get(sg.VpcId) ?? []);
    return bad.length === 0 ? "pass" : result("fail", `${bad.length} entries outside the design's table`, bad);
  };
}

/** ECR004: tags are latest, v<major>.<minor>, a git SHA, or a real YYYYMMDD date; shared base images exempt. */
const TAG = /^(?:latest|v[0-9]+\.[0-9]+|[0-9a-f]{7,40})$/;
function realDate(tag) {
  const [y, m, d] = [Number(tag.slice(0, 4)), Number(tag.slice(4, 6)), Number(tag.slice(6, 8))];
  const date = new Date(Date.UTC(y, m - 1, d));
  return m >= 1 && m <= 12 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
function ECR004(repo, errors) {
  if (typeof repo.repositoryName === "string" && repo.repositoryName.startsWith(`${ORG.company}-sagemaker-shared/`)) return undefined;
  if (errors.failed("AWS::ECR::Repository", "DescribeImages", repo.repositoryName)) return "error";
  const bad = [];
  for (const image of Array.isArray(repo.images) ? repo.images : []) {
    for (const tag of Array.isArray(image.imageTags) ? image.imageTags : []) {
      if (!(/^[0-9]{8}$/.test(tag) ? realDate(tag) : TAG.test(tag))) bad.push({ imageDigest: image.imageDigest, tag });
    }
  }
  return bad.length === 0 ? "pass" : result("fail", `image tag "${bad[0].tag}" is not an allowed tag format`, bad);
}

/** MR003: every version has TrainingJobName, GitCommit and TrainedBy in CustomerMetadataProperties. */
function MR003(group, errors) {
  if (errors.failed("AWS::SageMaker::ModelPackageGroup", "DescribeModelPackage", group.ModelPackageGroupName)) return "error";
  const bad = [];
  for (const p of Array.isArray(group.ModelPackages) ? group.ModelPackages : []) {
    const meta = p?.CustomerMetadataProperties ?? {};
    for (const key of ["TrainingJobName", "GitCommit", "TrainedBy"]) if (meta[key] === undefined) bad.push({ version: p.ModelPackageVersion, missing: key });
  }
  return bad.length === 0 ? "pass" : result("fail", `version ${bad[0].version} has no CustomerMetadataProperties.${bad[0].missing}`, bad);
}

/** MR004: every Rejected version says why (ApprovalDescription). */
function MR004(group, errors) {
  if (errors.failed("AWS::SageMaker::ModelPackageGroup", "DescribeModelPackage", group.ModelPackageGroupName)) return "error";
  const bad = (Array.isArray(group.ModelPackages) ? group.ModelPackages : []).filter(
    (p) => p?.ModelApprovalStatus === "Rejected" && isEmpty(p.ApprovalDescription),
  );
  return bad.length === 0
    ? "pass"
    : result(
        "fail",
        `Rejected version ${bad[0].ModelPackageVersion} has no ApprovalDescription`,
        bad.map((p) => ({ version: p.ModelPackageVersion })),
      );
}

/** A failure with its message and evidence, for --report; counted by its status. */
function result(status, message, evidence) {
  return { status, message, evidence };
}

/** KMS004 with kmsKeyInScope: customer key, not pending deletion, sagemaker alias or referenced. */
function KMS004(key, errors, references) {
  if (errors.failed("AWS::KMS::Key", "DescribeKey", key.KeyId) || errors.failed("AWS::KMS::Key", "ListAliases", key.KeyId)) return "error";
  if (key.KeyManager !== "CUSTOMER" || key.KeyState === "PendingDeletion" || key.KeyState === "PendingReplicaDeletion") return undefined;
  const aliases = Array.isArray(key.Aliases) ? key.Aliases : [];
  if (!aliases.some((a) => typeof a?.AliasName === "string" && a.AliasName.startsWith("alias/sagemaker-"))) {
    const ids = [key.KeyId, key.Arn, ...aliases.map((a) => a?.AliasName), ...aliases.map((a) => a?.AliasArn)];
    if (!ids.some((id) => typeof id === "string" && references.has(id))) {
      // Not referenced by what was read; if some SageMaker data is missing, the scope is unknown.
      return SAGEMAKER_TYPES.some((t) => errors.any(t)) ? "error" : undefined;
    }
  }
  if (errors.failed("AWS::KMS::Key", "GetKeyPolicy", key.KeyId)) return "error";
  let policy;
  try {
    policy = JSON.parse(key.Policy);
  } catch {
    return "fail";
  }
  if (typeof policy !== "object" || policy === null || policy.Statement === undefined) return "fail";
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  for (const st of statements) {
    if (typeof st !== "object" || st === null) return "fail";
    if (String(st.Effect).toLowerCase() !== "allow") continue;
    const p = st.Principal;
    const everyone = p === "*" || (typeof p === "object" && p !== null && [p.AWS].flat().includes("*"));
    if (!everyone) continue;
    const condition = st.Condition;
    const hasCondition =
      typeof condition === "object" &&
      condition !== null &&
      Object.values(condition).some((b) => typeof b === "object" && b !== null && Object.keys(b).length > 0);
    if (!hasCondition) return "fail";
  }
  return "pass";
}

/** Strings in fields named KmsKeyId / VolumeKmsKeyId at any depth: "a SageMaker resource uses this key". */
function collectKeyReferences(value, out) {
  if (typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) collectKeyReferences(v, out);
    return;
  }
  for (const k in value) {
    const v = value[k];
    if ((k === "KmsKeyId" || k === "VolumeKmsKeyId") && typeof v === "string" && v.length > 0) out.add(v);
    else collectKeyReferences(v, out);
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation of one region. `list(type)` yields that type's resource objects (already parsed, or
// parsed one by one from their spans); SageMaker types go first so KMS004 knows the references,
// VPCs before security groups so the flow tables know the VPCs' blocks.

const { values: options, positionals } = parseArgs({ allowPositionals: true, options: { rules: { type: "string" }, report: { type: "string" } } });
const [mode, file] = positionals;
if (!["parse", "whole", "streamed"].includes(mode) || !file || (options.report && mode !== "streamed")) {
  console.error("usage: node bench/handwritten.mjs parse|whole|streamed <snapshot.json> [--rules ID,…] [--report FILE (streamed)]");
  process.exit(2);
}
const known = new Set(FAILURE_HEAVY_ANSWER_RULES);
const selected = options.rules ? options.rules.split(",") : ANSWER_RULES;
for (const id of selected) if (!known.has(id)) throw new Error(`--rules: no hand-written ${id}`);
const on = new Set(selected);

const RULES = {
  "AWS::SageMaker::ModelPackageGroup": { MR001, MR002, MR003, MR004 },
  "AWS::ECR::Repository": { ECR001, ECR002, ECR003, ECR004 },
  "AWS::KMS::Key": { KMS004 },
  "AWS::Logs::LogGroup": { LOG001 },
  "AWS::EC2::SecurityGroup": {
    SG003: sgTable("SG003"),
    SG004: sgTable("SG004"),
    SG005: sgTable("SG005"),
    SG006: sgTable("SG006"),
    SG007: sgTable("SG007"),
    SG008: sgTable("SG008"),
    SG009,
  },
};
const rulesOf = Object.fromEntries(Object.entries(RULES).map(([type, rules]) => [type, Object.entries(rules).filter(([id]) => on.has(id))]));
/** Natural id and the fields of a failure's message, for --report. */
const ID_FIELD = {
  "AWS::SageMaker::ModelPackageGroup": "ModelPackageGroupName",
  "AWS::ECR::Repository": "repositoryName",
  "AWS::KMS::Key": "KeyId",
  "AWS::Logs::LogGroup": "logGroupName",
  "AWS::EC2::SecurityGroup": "GroupId",
};
const ARN_FIELD = {
  "AWS::SageMaker::ModelPackageGroup": "ModelPackageGroupArn",
  "AWS::ECR::Repository": "repositoryArn",
  "AWS::KMS::Key": "Arn",
  "AWS::Logs::LogGroup": "logGroupArn",
  "AWS::EC2::SecurityGroup": "SecurityGroupArn",
};

const counts = Object.fromEntries(selected.map((id) => [id, { pass: 0, fail: 0, error: 0 }]));
let resources = 0;

/** --report: JSON lines written in 1 MiB chunks, never one big string. */
class Report {
  constructor(path) {
    this.fd = openSync(path, "w");
    this.parts = [];
    this.pending = 0;
  }
  line(text) {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= 1 << 20) this.flush();
  }
  flush() {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(this.parts.join("\n") + "\n");
    for (let off = 0; off < buf.length;) off += writeSync(this.fd, buf, off);
    this.parts = [];
    this.pending = 0;
  }
  close() {
    this.flush();
    closeSync(this.fd);
  }
}
const report = options.report ? new Report(options.report) : undefined;

function record(rule, outcome, type, r, account, region) {
  if (outcome === undefined) return;
  const status = typeof outcome === "string" ? outcome : outcome.status;
  counts[rule][status]++;
  if (!report) return;
  const resource = { type, id: r[ID_FIELD[type]], arn: r[ARN_FIELD[type]], accountId: account, region };
  const line = { ruleId: rule, status, resource };
  if (status !== "pass") {
    line.message = typeof outcome === "string" ? `${rule}: ${resource.id} is ${status === "fail" ? "not compliant" : "not evaluated"}` : outcome.message;
    line.evidence = typeof outcome === "string" ? [] : outcome.evidence;
  }
  report.line(JSON.stringify(line));
}

function evaluateRegion(account, region, list) {
  const errors = new RegionErrors(Array.isArray(region.errors) ? region.errors : []);
  const references = new Set();
  /** VPC id → its associated IPv4 blocks. */
  const vpcs = new Map();
  const types = Object.keys(region.resources);
  const first = (t) => (SAGEMAKER_TYPES.includes(t) ? 0 : t === "AWS::EC2::VPC" ? 1 : 2);
  const order = [...types].sort((a, b) => first(a) - first(b));
  for (const type of order) {
    const rules = rulesOf[type] ?? [];
    for (const r of list(type)) {
      resources++;
      if (SAGEMAKER_TYPES.includes(type)) collectKeyReferences(r, references);
      if (type === "AWS::EC2::VPC") {
        const blocks = (Array.isArray(r.CidrBlockAssociationSet) ? r.CidrBlockAssociationSet : [])
          .filter((a) => a?.CidrBlockState?.State === "associated")
          .map((a) => ipv4Cidr(a.CidrBlock ?? ""))
          .filter((c) => c !== undefined);
        vpcs.set(r.VpcId, blocks);
      }
      for (const [id, rule] of rules) record(id, rule(r, errors, type === "AWS::KMS::Key" ? references : vpcs), type, r, account, region.region);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Modes

function finish(extra) {
  report?.close();
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  const result = { mode, seconds: +(performance.now() / 1000).toFixed(3), peakRssMiB: +peakRssMiB.toFixed(1), ...extra };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** The whole file as one string: impossible beyond V8's string limit. */
function wholeDocument() {
  const buf = readFileSync(file);
  let text;
  try {
    text = buf.toString("utf8");
  } catch (err) {
    return { failed: `longer than V8's string limit: ${buf.length} bytes (${err.code ?? err.message})` };
  }
  return { doc: JSON.parse(text) };
}

if (mode === "parse" || mode === "whole") {
  const { doc, failed } = wholeDocument();
  if (failed) {
    finish({ failed });
  } else if (mode === "parse") {
    for (const account of doc.accounts) for (const region of account.regions) for (const list of Object.values(region.resources)) resources += list.length;
    finish({ resources });
  } else {
    for (const account of doc.accounts) for (const region of account.regions) evaluateRegion(account.accountId, region, (type) => region.resources[type]);
    finish({ resources, counts });
  }
} else {
  const dist = process.env.SAGEGATE_DIST ? pathToFileURL(`${process.env.SAGEGATE_DIST.replace(/\/?$/, "/")}`) : new URL("../dist/", import.meta.url);
  const { scanJson } = await import(new URL("snapshot/scan.js", dist).href);
  const buf = readFileSync(file);
  // accounts[a].regions[r].resources[type][i] → a span of bytes, parsed when its turn comes.
  const isResource = (path) => path.length === 7 && path[4] === "resources";
  const doc = scanJson(buf, { spanAt: isResource });
  for (const account of doc.accounts) {
    for (const region of account.regions) {
      evaluateRegion(account.accountId, region, function* (type) {
        for (const span of region.resources[type]) yield JSON.parse(buf.toString("utf8", span.start, span.end));
      });
    }
  }
  finish({ resources, counts });
}
