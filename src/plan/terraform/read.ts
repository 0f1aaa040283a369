// Reads the JSON of a Terraform (or OpenTofu) plan, `terraform show -json PLANFILE`, formats 0.1
// to 1.x (https://developer.hashicorp.com/terraform/internals/json-format), through the hardened
// path: a size limit, UTF-8, the project's byte-level JSON scanner (duplicate keys refused,
// nesting bounded, the line and column of a syntax error). Parts sagegate does not read
// (planned_values, resource_drift, output_changes, checks) are skipped unparsed, and so are the
// `change` of every resource change and the values of every state resource until a type that
// is read asks for them: a plan of a large project is mostly resources of other types.
import { TemplateError, type Place } from "../../errors.js";
import { assertUtf8, readBytes } from "../../io/files.js";
import { JsonScanError, LineMap, scanJson, Span, type JsonPath } from "../../snapshot/scan.js";
import { isRecord } from "../cfn/resolve.js";

/** Plans of large projects run to hundreds of megabytes; beyond this, split the configuration. */
export const MAX_PLAN_BYTES = 256 * 1024 * 1024;
/** Deepest nesting of a plan (values of nested blocks, configuration expressions). */
const MAX_PLAN_DEPTH = 256;

/** Top-level members read, or skipped unparsed (any other member is ignored, as the format asks). */
const SKIPPED = new Set(["planned_values", "resource_drift", "output_changes", "relevant_attributes", "checks", "proposed_unknown"]);

export interface ResourceChange {
  address: string;
  /** The module instance (`module.ml[0]`), "" for the root module. */
  moduleAddress: string;
  mode: string;
  type: string;
  name: string;
  index?: number | string;
  deposed?: string;
  /** 1-based lines of the entry in the plan JSON. */
  line: number;
  endLine: number;
  /** Parsed on first use. */
  change(): Change;
}

export interface Change {
  actions: string[];
  before: unknown;
  after: unknown;
  afterUnknown: unknown;
  afterSensitive: unknown;
  beforeSensitive: unknown;
}

export interface StateResource {
  address: string;
  moduleAddress: string;
  mode: string;
  type: string;
  name: string;
  index?: number | string;
  values(): unknown;
}

export interface TerraformPlan {
  /** Path as given and as reports show it. */
  path: string;
  file: string;
  formatVersion: string;
  terraformVersion?: string;
  changes: ResourceChange[];
  /** The `configuration` member (an object, or {} when absent). */
  configuration: Record<string, unknown>;
  /** Root module variable values. */
  variables: Map<string, unknown>;
  /** Resources of the prior state, data sources among them (read during planning). */
  priorState: StateResource[];
  /** `errored: true`: the plan stopped early, so resources it did not reach are missing. */
  errored: boolean;
}

/** The top-level member names of a JSON file whose first character is "{" (undefined otherwise), without parsing the values. */
export function topLevelKeys(path: string, maxBytes = MAX_PLAN_BYTES): Set<string> | undefined {
  let buf: Buffer;
  try {
    buf = readBytes(path, (m, f) => new TemplateError(m, f), maxBytes);
  } catch {
    return undefined;
  }
  let i = 0;
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
  while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x09)) i++;
  if (buf[i] !== 0x7b) return undefined;
  try {
    const doc = scanJson(buf, { spanAt: (p) => p.length === 1, maxDepth: 4 });
    return isRecord(doc) ? new Set(Object.keys(doc)) : undefined;
  } catch {
    return undefined;
  }
}

/** A Terraform plan's JSON: `format_version` with `resource_changes`, `planned_values` or `configuration`. */
export function looksLikePlan(keys: ReadonlySet<string>): boolean {
  return (
    keys.has("format_version") &&
    !keys.has("Resources") &&
    ["resource_changes", "planned_values", "configuration", "prior_state", "values"].some((k) => keys.has(k))
  );
}

export function readPlan(path: string, file: string): TerraformPlan {
  const fail = (message: string, place?: Place) => new TemplateError(message, file, place);
  const buf = readBytes(path, (m, _f, place) => fail(m, place), MAX_PLAN_BYTES);
  assertUtf8(buf, file, (m, _f, place) => fail(m, place));
  const lines = new LineMap(buf);
  const entryRanges = new Map<number, [number, number]>();
  const isChange = (p: JsonPath) => p.length === 3 && p[0] === "resource_changes" && p[2] === "change";
  const isStateValues = (p: JsonPath) => p[0] === "prior_state" && p.length >= 6 && p[p.length - 1] === "values" && p[p.length - 3] === "resources";
  let doc: unknown;
  try {
    doc = scanJson(buf, {
      spanAt: (p) => (p.length === 1 && SKIPPED.has(String(p[0]))) || isChange(p) || isStateValues(p),
      located: (p, start, end) => {
        if (p.length === 2 && p[0] === "resource_changes" && typeof p[1] === "number") entryRanges.set(p[1], [start, end]);
      },
      maxDepth: MAX_PLAN_DEPTH,
    });
  } catch (err) {
    if (!(err instanceof JsonScanError)) throw err;
    const pos = lines.position(err.offset);
    throw fail(`not valid JSON: ${err.message}`, { line: pos.line, column: pos.column });
  }
  if (!isRecord(doc)) throw fail("a Terraform plan's JSON is an object (terraform show -json PLANFILE)", { line: 1 });
  const version = doc.format_version;
  if (typeof version !== "string" || !/^\d+\.\d+/.test(version))
    throw fail('not a Terraform plan: no "format_version" (write it with terraform show -json PLANFILE)', { line: 1 });
  const major = Number(version.split(".")[0]);
  if (major > 1)
    throw fail(`format_version ${version} is not supported: sagegate reads Terraform plan JSON formats 0.1 to 1.x`, { pointer: "/format_version" });
  if (doc.resource_changes === undefined && doc.planned_values === undefined && doc.values !== undefined)
    throw fail("this is a Terraform state, not a plan: run terraform plan -out=PLANFILE, then terraform show -json PLANFILE", { pointer: "/values" });
  const parseSpan = (span: unknown, pointer: string): unknown => {
    if (!(span instanceof Span)) return span;
    try {
      return scanJson(buf.subarray(span.start, span.end), { spanAt: () => false, maxDepth: MAX_PLAN_DEPTH });
    } catch (err) {
      if (!(err instanceof JsonScanError)) throw err;
      const pos = lines.position(span.start + err.offset);
      throw fail(`not valid JSON: ${err.message}`, { line: pos.line, column: pos.column, pointer });
    }
  };

  const rawChanges = doc.resource_changes ?? [];
  if (!Array.isArray(rawChanges)) throw fail("resource_changes must be a list", { pointer: "/resource_changes" });
  const changes: ResourceChange[] = [];
  rawChanges.forEach((entry: unknown, i: number) => {
    const pointer = `/resource_changes/${i}`;
    const range = entryRanges.get(i) ?? [0, 0];
    const place = { line: lines.position(range[0]).line, pointer };
    if (!isRecord(entry)) throw fail("a resource change is an object", place);
    for (const k of ["address", "type", "name"] as const)
      if (typeof entry[k] !== "string" || entry[k] === "") throw fail(`a resource change needs "${k}"`, place);
    const moduleAddress = entry.module_address;
    if (moduleAddress !== undefined && typeof moduleAddress !== "string") throw fail('"module_address" must be text', place);
    const index = entry.index;
    let parsed: Change | undefined;
    changes.push({
      address: entry.address as string,
      moduleAddress: moduleAddress ?? "",
      mode: typeof entry.mode === "string" ? entry.mode : "managed",
      type: entry.type as string,
      name: entry.name as string,
      ...(typeof index === "number" || typeof index === "string" ? { index } : {}),
      ...(typeof entry.deposed === "string" ? { deposed: entry.deposed } : {}),
      line: place.line,
      endLine: lines.position(Math.max(range[0], range[1] - 1)).line,
      change: () => {
        if (parsed) return parsed;
        const c = parseSpan(entry.change, `${pointer}/change`);
        if (!isRecord(c) || !Array.isArray(c.actions) || !c.actions.every((a) => typeof a === "string"))
          throw fail('a resource change needs "change" with its "actions"', place);
        parsed = {
          actions: c.actions,
          before: c.before ?? null,
          after: c.after ?? null,
          afterUnknown: c.after_unknown ?? {},
          afterSensitive: c.after_sensitive ?? {},
          beforeSensitive: c.before_sensitive ?? {},
        };
        return parsed;
      },
    });
  });

  const variables = new Map<string, unknown>();
  if (isRecord(doc.variables)) for (const [k, v] of Object.entries(doc.variables)) if (isRecord(v)) variables.set(k, v.value);
  const configuration = isRecord(doc.configuration) ? doc.configuration : {};
  const priorState: StateResource[] = [];
  const state = isRecord(doc.prior_state) && isRecord(doc.prior_state.values) ? doc.prior_state.values.root_module : undefined;
  collectState(state, "/prior_state/values/root_module", priorState, parseSpan, 0);
  const plan: TerraformPlan = {
    path,
    file,
    formatVersion: version,
    changes,
    configuration,
    variables,
    priorState,
    errored: doc.errored === true,
  };
  if (typeof doc.terraform_version === "string") plan.terraformVersion = doc.terraform_version;
  return plan;
}

function collectState(module: unknown, pointer: string, out: StateResource[], parseSpan: (s: unknown, pointer: string) => unknown, depth: number): void {
  if (!isRecord(module) || depth > 64) return;
  const moduleAddress = typeof module.address === "string" ? module.address : "";
  if (Array.isArray(module.resources))
    module.resources.forEach((r: unknown, i: number) => {
      if (!isRecord(r) || typeof r.address !== "string" || typeof r.type !== "string" || typeof r.name !== "string") return;
      const raw = r.values;
      let parsed: unknown;
      let done = false;
      out.push({
        address: r.address,
        moduleAddress,
        mode: typeof r.mode === "string" ? r.mode : "managed",
        type: r.type,
        name: r.name,
        ...(typeof r.index === "number" || typeof r.index === "string" ? { index: r.index } : {}),
        values: () => {
          if (!done) [parsed, done] = [parseSpan(raw, `${pointer}/resources/${i}/values`), true];
          return parsed;
        },
      });
    });
  if (Array.isArray(module.child_modules))
    module.child_modules.forEach((c: unknown, i: number) => collectState(c, `${pointer}/child_modules/${i}`, out, parseSpan, depth + 1));
}
