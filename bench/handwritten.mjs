// The comparators of issue 6: the eight answer rules (org.mjs ANSWER_RULES) written by hand in
// plain JavaScript, with the semantics of the catalogue's YAML (scopes, `error` when the data a
// rule reads was not collected), and the parse-only floor.
//
//   node bench/handwritten.mjs parse    <snapshot.json>   read the file + JSON.parse, nothing else
//   node bench/handwritten.mjs whole    <snapshot.json>   JSON.parse of the whole file + the rules
//   node bench/handwritten.mjs streamed <snapshot.json>   scanJson spans (dist/snapshot/scan.js),
//                                                          each resource JSON.parse'd alone + the rules
//
// Prints one JSON line: {mode, seconds, peakRssMiB, resources, counts} where counts is
// {ruleId: {pass, fail, error}}. `seconds` is measured from process start (node's time origin).
// `parse` and `whole` need the file as one string: beyond V8's limit (~512M characters) they
// print {failed: "longer than V8's string limit …"} and exit 0, which bench/run.mjs reports as n/a.
//
// SAGEGATE_DIST (default ../dist/ next to this file) points at a sagegate build for scanJson.

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { ANSWER_RULES, ORG, WORKLOAD_GROUPS } from "./org.mjs";

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
// parsed one by one from their spans); SageMaker types go first so KMS004 knows the references.

const counts = Object.fromEntries(ANSWER_RULES.map((id) => [id, { pass: 0, fail: 0, error: 0 }]));
let resources = 0;

function count(rule, status) {
  if (status !== undefined) counts[rule][status]++;
}

function evaluateRegion(region, list) {
  const errors = new RegionErrors(Array.isArray(region.errors) ? region.errors : []);
  const references = new Set();
  const types = Object.keys(region.resources);
  const order = [...types.filter((t) => SAGEMAKER_TYPES.includes(t)), ...types.filter((t) => !SAGEMAKER_TYPES.includes(t))];
  for (const type of order) {
    for (const r of list(type)) {
      resources++;
      switch (type) {
        case "AWS::SageMaker::ModelPackageGroup":
          collectKeyReferences(r, references);
          count("MR001", MR001(r));
          count("MR002", MR002(r, errors));
          break;
        case "AWS::SageMaker::TrainingJob":
        case "AWS::SageMaker::ProcessingJob":
        case "AWS::SageMaker::Endpoint":
          collectKeyReferences(r, references);
          break;
        case "AWS::ECR::Repository":
          count("ECR001", ECR001(r));
          count("ECR002", ECR002(r, errors));
          count("ECR003", ECR003(r, errors));
          break;
        case "AWS::KMS::Key":
          count("KMS004", KMS004(r, errors, references));
          break;
        case "AWS::Logs::LogGroup":
          count("LOG001", LOG001(r));
          break;
        case "AWS::EC2::SecurityGroup":
          count("SG009", SG009(r));
          break;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Modes

const [mode, file] = process.argv.slice(2);
if (!["parse", "whole", "streamed"].includes(mode) || !file) {
  console.error("usage: node bench/handwritten.mjs parse|whole|streamed <snapshot.json>");
  process.exit(2);
}

function finish(extra) {
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
    for (const account of doc.accounts) for (const region of account.regions) evaluateRegion(region, (type) => region.resources[type]);
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
      evaluateRegion(region, function* (type) {
        for (const span of region.resources[type]) yield JSON.parse(buf.toString("utf8", span.start, span.end));
      });
    }
  }
  finish({ resources, counts });
}
