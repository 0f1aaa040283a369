// `sagegate init [--from snapshot.json]`: writes a commented sagegate.config.yaml and an empty
// sagegate.waivers.yaml. With --from, the values are proposed from the names in the snapshot —
// the tag prefix from the purpose-level security groups (<p>-training, …), the company, teams and
// projects from the ECR repositories (<c>-sm-<team>-<project>/…) confirmed by model package
// groups and workload names, the workload VPCs from where those groups live — and the comments
// say what each proposal rests on. An existing file is never overwritten.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_CONFIG_FILE, ALTERNATE_CONFIG_FILE, parseConfig } from "../config/config.js";
import { ExitCode, UsageError } from "../errors.js";
import { DEFAULT_WAIVERS_FILE, parseWaivers } from "../gate/waivers.js";
import { readSnapshotFile } from "../snapshot/read.js";
import type { LoadedSnapshot } from "../snapshot/types.js";

const PURPOSES = ["training", "processing", "inference", "studio", "vpc-endpoints"] as const;

/** What the snapshot suggests, with the evidence for each value. */
export interface Proposal {
  tagPrefix?: { value: string; groups: string[]; others: string[] };
  company?: { value: string; repositories: number; others: string[] };
  projects: Array<{ name: string; repositories: string[]; groups: string[]; workloads: number }>;
  /** Model package groups that look like {team}-{project} but match no repository's project. */
  unmatchedGroups: string[];
  vpcIds: Array<{ id: string; region: string }>;
}

interface Names {
  securityGroups: Array<{ name: string; vpcId: string; region: string }>;
  repositories: string[];
  modelPackageGroups: string[];
  workloads: string[];
}

function names(snapshot: LoadedSnapshot): Names {
  const out: Names = { securityGroups: [], repositories: [], modelPackageGroups: [], workloads: [] };
  for (const region of snapshot.regions) {
    for (const [type, source] of region.resources) {
      for (const r of source.items()) {
        if (type === "AWS::EC2::SecurityGroup") out.securityGroups.push({ name: text(r.data.GroupName), vpcId: text(r.data.VpcId), region: region.region });
        else if (type === "AWS::ECR::Repository") out.repositories.push(r.id);
        else if (type === "AWS::SageMaker::ModelPackageGroup") out.modelPackageGroups.push(r.id);
        else if (["AWS::SageMaker::TrainingJob", "AWS::SageMaker::ProcessingJob", "AWS::SageMaker::Endpoint", "AWS::SageMaker::Model"].includes(type))
          out.workloads.push(r.id);
      }
    }
  }
  return out;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function mostCommon(values: readonly string[]): { value: string; count: number; others: string[] } | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (sorted.length === 0) return undefined;
  return { value: sorted[0]![0], count: sorted[0]![1], others: sorted.slice(1).map(([v]) => v) };
}

const WORDS = /^[a-z0-9]+(?:-[a-z0-9]+)+$/;

export function propose(snapshot: LoadedSnapshot): Proposal {
  const n = names(snapshot);
  const proposal: Proposal = { projects: [], unmatchedGroups: [], vpcIds: [] };

  const purposeGroups = n.securityGroups.flatMap((g) => {
    const purpose = PURPOSES.find((p) => g.name.endsWith(`-${p}`) && g.name.length > p.length + 1);
    return purpose ? [{ ...g, prefix: g.name.slice(0, -(purpose.length + 1)) }] : [];
  });
  const prefix = mostCommon(purposeGroups.map((g) => g.prefix));
  if (prefix) {
    const groups = purposeGroups.filter((g) => g.prefix === prefix.value).map((g) => g.name);
    proposal.tagPrefix = { value: prefix.value, groups: [...new Set(groups)].sort(), others: prefix.others };
    const vpcs = new Map<string, string>();
    for (const g of purposeGroups) if (g.prefix === prefix.value && g.vpcId) vpcs.set(g.vpcId, g.region);
    proposal.vpcIds = [...vpcs.entries()].map(([id, region]) => ({ id, region })).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  const companies = n.repositories.flatMap((r) => {
    const m = /^(.+?)-(?:sm-[a-z0-9-]+|sagemaker-shared)\//.exec(r);
    return m ? [m[1]!] : [];
  });
  const company = mostCommon(companies);
  if (company) {
    proposal.company = { value: company.value, repositories: company.count, others: company.others };
    const byProject = new Map<string, string[]>();
    for (const r of n.repositories) {
      const m = new RegExp(`^${escape(company.value)}-sm-([a-z0-9]+(?:-[a-z0-9]+)+)/`).exec(r);
      if (m) byProject.set(m[1]!, [...(byProject.get(m[1]!) ?? []), r]);
    }
    for (const [name, repositories] of [...byProject.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const groups = n.modelPackageGroups.filter((g) => g === name || g.startsWith(name + "-"));
      const workloads = n.workloads.filter((w) => w.startsWith(name + "-")).length;
      proposal.projects.push({ name, repositories: repositories.sort(), groups: groups.sort(), workloads });
    }
  }
  const claimed = new Set(proposal.projects.flatMap((p) => p.groups));
  proposal.unmatchedGroups = n.modelPackageGroups.filter((g) => WORDS.test(g) && !claimed.has(g)).sort();
  return proposal;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const q = (v: string) => JSON.stringify(v);

/** The commented configuration; values that could not be proposed stay placeholders to edit. */
export function configText(proposal: Proposal | undefined, from: string | undefined): string {
  const p = proposal;
  const lines: string[] = [
    "# yaml-language-server: $schema=https://sagegate.dev/schemas/config.schema.json",
    "# sagegate configuration: the values the workload-resources design leaves as placeholders.",
    from
      ? `# Proposed by \`sagegate init --from ${from}\` from the names in that snapshot; check every value.`
      : "# Written by `sagegate init`; replace the example values with your organisation's.",
    "",
  ];
  if (p?.tagPrefix) {
    lines.push(
      `# {TAG_PREFIX}: from ${p.tagPrefix.groups.length} purpose-level security group${p.tagPrefix.groups.length === 1 ? "" : "s"} (${p.tagPrefix.groups.join(", ")})`,
    );
    lines.push(
      `# ${p.tagPrefix.groups.length >= 3 ? "fairly sure" : "not sure: few groups carry it"}${p.tagPrefix.others.length ? `; other prefixes seen: ${p.tagPrefix.others.join(", ")}` : ""}.`,
    );
    lines.push(`tagPrefix: ${q(p.tagPrefix.value)}`);
  } else {
    lines.push(`# {TAG_PREFIX}: security groups are named <tagPrefix>-training, -processing, -inference, -studio, -vpc-endpoints.`);
    if (p) lines.push("# No such group in the snapshot: set it by hand.");
    lines.push(`tagPrefix: ${q("acme-ml")}`);
  }
  lines.push("");
  if (p?.company) {
    lines.push(
      `# {COMPANY}: from ${p.company.repositories} ECR repositor${p.company.repositories === 1 ? "y" : "ies"} named <company>-sm-<team>-<project>/… or <company>-sagemaker-shared/…`,
    );
    lines.push(
      `# ${p.company.repositories >= 2 ? "fairly sure" : "not sure: one repository only"}${p.company.others.length ? `; others seen: ${p.company.others.join(", ")}` : ""}.`,
    );
    lines.push(`company: ${q(p.company.value)}`);
  } else {
    lines.push("# {COMPANY}: ECR repositories are named <company>-sm-<team>-<project>/<stage> and <company>-sagemaker-shared/<image>.");
    if (p) lines.push("# No such repository in the snapshot: set it by hand.");
    lines.push(`company: ${q("acme")}`);
  }
  lines.push("");
  const projects = p?.projects ?? [];
  const teams = [...new Set(projects.map((x) => x.name.split("-")[0]!))].sort();
  lines.push("# {team}-{project}: the first word of each project is its team. Optional: empty lists accept any");
  lines.push("# lowercase <team>-<project> name; MR005 checks that each project has its model package group.");
  if (projects.length > 0) {
    lines.push(`teams: [${teams.map(q).join(", ")}]`);
    lines.push("projects:");
    for (const x of projects) {
      const evidence = [
        `${x.repositories.length} repositor${x.repositories.length === 1 ? "y" : "ies"}`,
        x.groups.length ? `model package group${x.groups.length === 1 ? "" : "s"} ${x.groups.join(", ")}` : "no model package group",
        `${x.workloads} job/endpoint/model name${x.workloads === 1 ? "" : "s"}`,
      ];
      const sure = x.groups.length > 0 || x.workloads > 0 ? "fairly sure" : "not sure";
      lines.push(`  - ${q(x.name)}   # ${sure}: ${evidence.join(", ")}`);
    }
    for (const g of p?.unmatchedGroups ?? []) lines.push(`  # - ${q(g)}   # not sure: a model package group only, no repository of that project`);
  } else {
    if (p) lines.push("# No <company>-sm-<team>-<project>/ repository in the snapshot.");
    lines.push("teams: []");
    lines.push("projects: []");
    for (const g of p?.unmatchedGroups ?? []) lines.push(`#  - ${q(g)}   # not sure: a model package group named like a project`);
  }
  lines.push("");
  lines.push("# Workload VPCs. Empty: every VPC holding a <tagPrefix>-<purpose> group is one (SG001, SG011).");
  if (p && p.vpcIds.length > 0) lines.push(`# In the snapshot: ${p.vpcIds.map((v) => `${v.id} (${v.region})`).join(", ")}; list them to pin the set.`);
  lines.push("vpcIds: []");
  lines.push("");
  lines.push("# Retention in days per SageMaker log type (§6.2) and images kept by the ECR lifecycle rule (§3.4):");
  lines.push("# the design's values.");
  lines.push("logRetentionDays: { processingJobs: 30, trainingJobs: 90, endpoints: 14, studio: 7 }");
  lines.push("ecr: { keepImages: 10 }");
  lines.push("");
  lines.push("# baseline, or high-security to also run the rules for the design's optional parts (§5).");
  lines.push("profile: baseline");
  lines.push("");
  lines.push("# Where reports link rule pages (default: the sagegate repository at the running version's tag).");
  lines.push("# docsUrl: https://github.com/sagegate/sagegate/blob/main/");
  return lines.join("\n") + "\n";
}

export const WAIVERS_TEXT = [
  "# yaml-language-server: $schema=https://sagegate.dev/schemas/waivers.schema.json",
  "# Accepted deviations from the design. Each waiver names who accepted it, why and until when;",
  "# the day after `expires` the finding fails again. Example:",
  "#",
  "#  - rule: SG009                       # or a list: [SG005, SG006]",
  "#    resource: sg-0123456789abcdef0    # id or ARN; * and ? match",
  "#    reason: debug SSH while the Spark image is rebuilt   # at least 10 characters",
  "#    owner: platform-team",
  "#    expires: 2026-12-31               # last day it applies (UTC)",
  "#    ticket: PLAT-123                  # optional",
  "waivers: []",
  "",
].join("\n");

export interface InitOptions {
  from?: string;
  /** Directory to write into (default: the working directory). */
  dir?: string;
}

/** Creates the file only if it does not exist (O_EXCL): a file that appears meanwhile is never replaced. */
function create(path: string, text: string): boolean {
  try {
    writeFileSync(path, text, { flag: "wx" });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new UsageError(`${path}: cannot write: ${(err as Error).message}`);
  }
}

/** Writes the files that do not exist yet; returns the exit code (2 when there was nothing to write). */
export function runInit(options: InitOptions, stderr: (line: string) => void): number {
  const dir = options.dir ?? ".";
  const proposal = options.from !== undefined ? propose(readSnapshotFile(options.from)) : undefined;
  const configPath = join(dir, DEFAULT_CONFIG_FILE);
  const existingConfig = [configPath, join(dir, ALTERNATE_CONFIG_FILE)].find((f) => existsSync(f));
  const waiversPath = join(dir, DEFAULT_WAIVERS_FILE);
  const written: string[] = [];
  if (existingConfig) stderr(`sagegate: ${existingConfig} exists; left as it is`);
  else {
    const text = configText(proposal, options.from);
    parseConfig(text, configPath); // what init writes must load
    if (create(configPath, text)) written.push(configPath);
    else stderr(`sagegate: ${configPath} exists; left as it is`);
  }
  if (existsSync(waiversPath)) stderr(`sagegate: ${waiversPath} exists; left as it is`);
  else {
    parseWaivers(WAIVERS_TEXT, waiversPath);
    if (create(waiversPath, WAIVERS_TEXT)) written.push(waiversPath);
    else stderr(`sagegate: ${waiversPath} exists; left as it is`);
  }
  if (written.length === 0) throw new UsageError("nothing to write: both files exist (init never overwrites a file)");
  stderr(
    `sagegate: wrote ${written.join(" and ")}${proposal ? ` with values proposed from ${options.from}: check them, then run \`sagegate evaluate ${options.from}\`` : ": edit tagPrefix and company"}`,
  );
  return ExitCode.ok;
}
