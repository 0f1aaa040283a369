// What a run checked: per rule, the resources of its types in the snapshot, how many were in its
// scope and the results by status. A run that checked nothing is not a clean run (issue 10):
// when a rule area has resources of its types but none in scope of any of its rules (a typo'd
// tagPrefix), or the configuration names VPCs or projects the snapshot does not contain, the
// run says so in one warning line each, and the gate exits 3 unless --allow-empty-scope.
import { joined, same, text, type MessageKey, type Text } from "../i18n/index.js";
import type { Config } from "../config/config.js";
import { countStatus, isPlanned, statusCounts, UNLISTED_ID, type EvaluationResult, type Status, type StatusCounts } from "../evaluate/engine.js";
import type { CompiledRule } from "../evaluate/rule.js";
import { listOperation, resourceType } from "../resources/catalog.js";
import { compare } from "../snapshot/order.js";
import type { LoadedSnapshot } from "../snapshot/types.js";

export interface RuleCoverage {
  ruleId: string;
  /** The rule id's letters: SG, ECR, MR, KMS, LOG, WL. */
  area: string;
  resourceTypes: string[];
  /** Resources of the rule's types in the snapshot. */
  resources: number;
  /** Results of the rule: resources in its scope (or configured subjects, for subject rules), whatever their status. */
  inScope: number;
  byStatus: StatusCounts;
  /** Subject rules (MR005): the configuration list whose values were checked instead of resources. */
  subjects?: string;
}

export interface ScopeWarning {
  /** `empty-scope`: an area checked none of its resources; `not-in-snapshot`: configured values nothing in the snapshot has. */
  kind: "empty-scope" | "not-in-snapshot";
  /** The rule area, for `empty-scope`. */
  area?: string;
  /** The configuration keys that decide it. */
  configKeys: string[];
  /** The configured values that were not found, for `not-in-snapshot`. */
  values?: string[];
  /** The warning line, without the "sagegate: warning:" prefix, in English (the JSON report's). */
  message: string;
  /** The same line in the reader's language (not written to JSON: a function). */
  text?: Text;
}

export interface Coverage {
  rules: RuleCoverage[];
  warnings: ScopeWarning[];
}

const STATUSES: readonly Status[] = ["pass", "fail", "error", "waived", "unresolved"];

/** Types the warning lines name in words (catalogue keys coverage.noun.<type>); others by their type name. */
const NOUN_TYPES = new Set([
  "AWS::EC2::VPC",
  "AWS::EC2::Subnet",
  "AWS::EC2::SecurityGroup",
  "AWS::ECR::Repository",
  "AWS::SageMaker::ModelPackageGroup",
  "AWS::SageMaker::TrainingJob",
  "AWS::SageMaker::ProcessingJob",
  "AWS::SageMaker::Model",
  "AWS::SageMaker::Endpoint",
  "AWS::KMS::Key",
  "AWS::Logs::LogGroup",
]);

function noun(type: string): Text {
  return NOUN_TYPES.has(type) ? text(`coverage.noun.${type}` as MessageKey) : same(type);
}

/**
 * What the catalogue's areas take into scope, in words, and the configuration keys that decide
 * it. The areas whose rules all take every resource of their types (ECR001, MR001, WL001, …)
 * cannot be empty while they have resources; other areas (and other rule sets) get a generic line.
 */
const AREA_SCOPES: Record<string, { none: (c: Config) => Text; keys: (c: Config) => string[]; advice?: Text }> = {
  SG: {
    none: (c) => text("coverage.none.SG", { prefix: c.tagPrefix }),
    keys: (c) => (c.vpcIds.length > 0 ? ["tagPrefix", "vpcIds"] : ["tagPrefix"]),
  },
  KMS: { none: () => text("coverage.none.KMS"), keys: () => [], advice: text("coverage.advice.KMS") },
  LOG: { none: () => text("coverage.none.LOG"), keys: () => [], advice: text("coverage.advice.LOG") },
};

/** Types whose resources are named for a project ({team}-{project}…, {company}-sm-{team}-{project}/…). */
const PROJECT_NAMED_TYPES = new Set([
  "AWS::SageMaker::ModelPackageGroup",
  "AWS::SageMaker::TrainingJob",
  "AWS::SageMaker::ProcessingJob",
  "AWS::SageMaker::Model",
  "AWS::SageMaker::Endpoint",
  "AWS::ECR::Repository",
  "AWS::Logs::LogGroup",
]);

export function areaOf(ruleId: string): string {
  return /^[A-Za-z]+/.exec(ruleId)?.[0] ?? ruleId;
}

/**
 * Coverage of a run, from the rules that ran and their final results (waivers applied). The
 * warnings need the configuration; without it (library callers) only the counts are computed.
 */
export function computeCoverage(
  snapshot: LoadedSnapshot,
  rules: readonly CompiledRule[],
  results: readonly EvaluationResult[],
  config?: Config,
  planTypeCounts?: ReadonlyMap<string, number>,
): Coverage {
  // A plan is about its own resources (and the live ones it names), not the whole --live account.
  const typeCounts = planTypeCounts ?? countTypes(snapshot);
  const counters = new Map<CompiledRule, StatusCounts>();
  const planned = isPlanned(snapshot);
  for (const rule of rules) counters.set(rule, statusCounts(planned));
  for (const r of results) {
    const c = counters.get(r.rule);
    if (c) countStatus(c, r.status);
  }
  const coverage: RuleCoverage[] = rules.map((rule) => {
    const byStatus = counters.get(rule)!;
    const entry: RuleCoverage = {
      ruleId: rule.def.id,
      area: areaOf(rule.def.id),
      resourceTypes: [...rule.types],
      resources: rule.types.reduce((n, t) => n + (typeCounts.get(t) ?? 0), 0),
      inScope: STATUSES.reduce((n, s) => n + (byStatus[s] ?? 0), 0),
      byStatus,
    };
    if (rule.def.subjects) entry.subjects = rule.def.subjects.fromConfig;
    return entry;
  });
  coverage.sort((a, b) => compare(a.ruleId, b.ruleId));
  // A plan deploys part of an account: configured VPCs or projects it does not declare are no sign of a wrong configuration.
  const absent = config && !planTypeCounts ? absentConfigured(snapshot, rules, results, config) : [];
  const warnings = config ? [...emptyAreas(coverage, typeCounts, config), ...absent] : [];
  return { rules: coverage, warnings };
}

function countTypes(snapshot: LoadedSnapshot): Map<string, number> {
  const counts = new Map<string, number>();
  for (const region of snapshot.regions) for (const [type, source] of region.resources) counts.set(type, (counts.get(type) ?? 0) + source.count);
  return counts;
}

/** Areas with resources of their types and not one result: nothing of theirs was checked. */
function emptyAreas(coverage: readonly RuleCoverage[], typeCounts: ReadonlyMap<string, number>, config: Config): ScopeWarning[] {
  const areas = new Map<string, RuleCoverage[]>();
  for (const c of coverage) areas.set(c.area, [...(areas.get(c.area) ?? []), c]);
  const warnings: ScopeWarning[] = [];
  for (const [area, list] of [...areas].sort(([a], [b]) => compare(a, b))) {
    const types = [...new Set(list.flatMap((c) => c.resourceTypes))].sort(compare);
    const present = types.filter((t) => (typeCounts.get(t) ?? 0) > 0);
    // Subject rules check configured values, not resources: they neither fill nor empty an area.
    const checked = list.filter((c) => c.subjects === undefined).reduce((n, c) => n + c.inScope, 0);
    if (present.length === 0 || checked > 0) continue;
    const ids = list.map((c) => c.ruleId);
    const range = ids.length === 1 ? ids[0]! : `${ids[0]}–${ids[ids.length - 1]}`;
    const counts = joined(
      present.map((t) => text("coverage.count", { n: typeCounts.get(t) ?? 0, noun: noun(t) })),
      "coverage.sep.counts",
    );
    const known = AREA_SCOPES[area];
    const keys = known ? known.keys(config) : [];
    const none = known ? known.none(config) : text("coverage.none.generic", { area });
    const advice =
      keys.length > 0 ? text("coverage.advice.check", { keys: joined(keys, "coverage.sep.and") }) : (known?.advice ?? text("coverage.advice.generic"));
    warnings.push(warning({ kind: "empty-scope", area, configKeys: keys }, text("coverage.empty", { area, none, counts, range, advice })));
  }
  return warnings;
}

/** Configured vpcIds and projects that nothing in the snapshot has. */
function absentConfigured(snapshot: LoadedSnapshot, rules: readonly CompiledRule[], results: readonly EvaluationResult[], config: Config): ScopeWarning[] {
  const warnings: ScopeWarning[] = [];
  if (config.vpcIds.length > 0 && listedEverywhere(snapshot, ["AWS::EC2::VPC"])) {
    const found = new Set<string>();
    let vpcs = 0;
    for (const region of snapshot.regions)
      for (const vpc of region.resources.get("AWS::EC2::VPC")?.items() ?? []) {
        found.add(vpc.id);
        vpcs++;
      }
    const missing = config.vpcIds.filter((id) => !found.has(id));
    if (missing.length > 0)
      warnings.push(
        warning(
          { kind: "not-in-snapshot", configKeys: ["vpcIds"], values: missing },
          text("coverage.vpcIds", { values: list(missing), n: missing.length, vpcs, regions: snapshot.regions.length }),
        ),
      );
  }
  if (config.projects.length > 0 && listedEverywhere(snapshot, [...PROJECT_NAMED_TYPES])) {
    const missing = projectsNamedByNothing(config.projects, snapshot, rules, results);
    if (missing.length > 0)
      warnings.push(warning({ kind: "not-in-snapshot", configKeys: ["projects"], values: missing }, text("coverage.projects", { values: list(missing) })));
  }
  return warnings;
}

/** Whether every region could list these types: otherwise what is absent may just not have been read. */
function listedEverywhere(snapshot: LoadedSnapshot, types: readonly string[]): boolean {
  return snapshot.regions.every((region) =>
    region.errors.every((e) => {
      const def = resourceType(e.resourceType);
      return e.resourceId !== undefined || !types.includes(e.resourceType) || def === undefined || e.operation !== listOperation(def);
    }),
  );
}

/**
 * Projects no resource is named for: a project counts as present when it is a whole part of a
 * resource's name (rc-fraud-detection in rc-fraud-detection-xgb-20261120 or in
 * acme-sm-rc-fraud-detection/training). The results name every resource of the types some rule
 * takes whole (no scope: ECR001, MR001, WL003, WL004 in the catalogue); other types are read from
 * the snapshot only while a project is still missing.
 */
function projectsNamedByNothing(
  projects: readonly string[],
  snapshot: LoadedSnapshot,
  rules: readonly CompiledRule[],
  results: readonly EvaluationResult[],
): string[] {
  const missing = new Set(projects);
  const seen = (name: string) => {
    for (const p of missing) if (namesProject(name, p)) missing.delete(p);
  };
  let last: unknown;
  for (const r of results) {
    if (missing.size === 0) break;
    if (r.resource === last) continue; // results of one resource are adjacent
    last = r.resource;
    // Subject rules (MR005) name their subjects after the configured projects themselves.
    if (r.rule.def.subjects || r.resource.id === UNLISTED_ID || !PROJECT_NAMED_TYPES.has(r.resource.type)) continue;
    seen(r.resource.id);
  }
  const whole = new Set(rules.filter((r) => !r.def.subjects && r.def.scope === undefined).flatMap((r) => r.types));
  for (const type of [...PROJECT_NAMED_TYPES].filter((t) => !whole.has(t)))
    for (const region of snapshot.regions)
      for (const stored of missing.size > 0 ? (region.resources.get(type)?.items() ?? []) : []) {
        seen(stored.id);
        if (missing.size === 0) break;
      }
  return projects.filter((p) => missing.has(p));
}

const NAME_CHAR = /[A-Za-z0-9]/;

function namesProject(name: string, project: string): boolean {
  for (let at = name.indexOf(project); at !== -1; at = name.indexOf(project, at + 1)) {
    const before = at === 0 ? "" : name[at - 1]!;
    const after = name[at + project.length] ?? "";
    if (!NAME_CHAR.test(before) && !NAME_CHAR.test(after)) return true;
  }
  return false;
}

function list(values: readonly string[]): Text {
  const shown = values.slice(0, 10);
  return values.length > 10 ? text("engine.listMore", { shown: joined(shown, "engine.sep.comma"), n: values.length }) : joined(shown, "engine.sep.comma");
}

/** A warning with its line in English (`message`, also in the JSON report) and in the reader's words (`text`). */
function warning(fields: Omit<ScopeWarning, "message" | "text">, words: Text): ScopeWarning {
  return { ...fields, message: words("en"), text: words };
}
