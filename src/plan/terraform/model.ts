// One Terraform plan as the translation sees it: the resource instances that exist after apply,
// their planned values with "known after apply" leaves as Unresolved values, their configuration
// (expressions and the references in them, per module), and the references followed through
// the configuration, so `vpc_id = aws_vpc.main.id` names the planned VPC although its id is not
// known before apply. References go through input variables (`var.x` → the module call's
// argument in the parent module), module outputs (`module.net.subnet_ids` → the output's
// expression in the child), `count.index`/`each.key` of the instance, and splats. What cannot be
// followed (locals, function results of several references, data sources read at apply) stays
// unresolved.
import { isUnresolved, unresolved, type Unresolved } from "../../resources/unresolved.js";
import { isRecord } from "../cfn/resolve.js";
import {
  indexText,
  instanceAddress,
  isIndex,
  isName,
  maximalReferences,
  moduleAddressOf,
  moduleSteps,
  parseReference,
  type ModuleStep,
  type Step,
} from "./address.js";
import type { Change, ResourceChange, TerraformPlan } from "./read.js";

export type Path = ReadonlyArray<string | number>;
type Config = Record<string, unknown>;

/** Deepest chain of variables and outputs followed for one reference. */
const MAX_HOPS = 32;

/** What a plan's type table tells the model about one Terraform type. */
export interface AttributeSource {
  /** The planned value of an attribute others refer to (`id`, `arn`, `name`, `cidr_block`); undefined = the planned value as is. */
  attribute(inst: Instance, name: string): unknown;
}

export function pathText(path: Path): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** A managed resource instance of the plan (its current object; deposed objects are not planned). */
export class Instance {
  private parsed: Change | undefined;
  private merged: unknown;
  readonly scope: Scope;

  constructor(
    readonly model: Model,
    readonly entry: ResourceChange,
    readonly moduleStepsOf: readonly ModuleStep[],
    readonly config: Config | undefined,
  ) {
    this.scope = { moduleAddress: entry.moduleAddress, steps: moduleStepsOf, module: model.configModule(moduleStepsOf) };
    if (entry.index !== undefined) this.scope.index = entry.index;
  }

  get address(): string {
    return this.entry.address;
  }
  get type(): string {
    return this.entry.type;
  }
  get change(): Change {
    return (this.parsed ??= this.entry.change());
  }
  get actions(): readonly string[] {
    return this.change.actions;
  }
  /** The object exists after apply (created, updated, replaced or unchanged). */
  get planned(): boolean {
    const a = this.actions;
    return a.includes("create") || a.includes("update") || a.includes("no-op");
  }

  /** The planned object, "known after apply" leaves replaced by Unresolved values. */
  get values(): Record<string, unknown> {
    if (this.merged === undefined) {
      const after = isRecord(this.change.after) ? this.change.after : {};
      this.merged = withUnknowns(after, this.change.afterUnknown, this.address, []);
    }
    return this.merged as Record<string, unknown>;
  }

  value(path: Path): unknown {
    return at(this.values, path);
  }

  /** The configuration expression of an argument (`vpc_config[0].subnets`). */
  expression(path: Path): Config | undefined {
    let e: unknown = this.config?.expressions;
    for (const p of path) {
      if (Array.isArray(e)) e = typeof p === "number" ? e[p] : undefined;
      else if (isRecord(e)) e = typeof p === "number" ? (p === 0 ? e : undefined) : e[p];
      else return undefined;
    }
    return isRecord(e) ? e : undefined;
  }

  /** Whether the configuration sets the argument (undefined when the resource's configuration is not in the plan). */
  declared(name: string): boolean | undefined {
    const e = this.config?.expressions;
    if (!isRecord(e)) return this.config === undefined ? undefined : false;
    return Object.prototype.hasOwnProperty.call(e, name);
  }

  /**
   * A field holding ids of other resources: the planned value with physical ids of planned
   * resources replaced by their planned ids; where it is not known before apply, what the
   * configuration's references name.
   */
  reference(path: Path, want: "scalar" | "list"): unknown {
    const v = this.value(path);
    const cause = unresolved("computed", `${this.address}.${pathText(path)}`, "known after apply");
    if (want === "scalar") {
      if (!isUnresolved(v)) return this.model.alias(v);
      const found = this.model.resolve(this.scope, this.expression(path), "scalar", 0);
      return found.length === 1 && found[0] !== undefined ? this.model.alias(found[0]) : v;
    }
    if (v === undefined || v === null) return v;
    if (!isUnresolved(v) && !(Array.isArray(v) && v.some(isUnresolved))) return Array.isArray(v) ? v.map((x) => this.model.alias(x)) : v;
    const known = Array.isArray(v) ? v.filter((x) => !isUnresolved(x)).map((x) => this.model.alias(x)) : [];
    const unknownCount = Array.isArray(v) ? v.filter(isUnresolved).length : Infinity;
    const expr = this.expression(path);
    if (!expr || !Array.isArray(expr.references) || expr.references.length === 0) return [...known, cause];
    const found = this.model.resolve(this.scope, expr, "list", 0).map((x) => this.model.alias(x));
    const seen = new Set(known.map((x) => JSON.stringify(x)));
    const out = [...known];
    let added = 0;
    for (const f of found) {
      if (isUnresolved(f)) continue;
      const k = JSON.stringify(f);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(f);
      added++;
    }
    const unknownLeft = found.find(isUnresolved);
    if (unknownLeft && added < unknownCount) out.push(unknownLeft);
    if (found.length === 0) out.push(cause);
    return out;
  }
}

/** Where an expression is evaluated: a module instance, and the count.index / each.key there. */
interface Scope {
  moduleAddress: string;
  steps: readonly ModuleStep[];
  module: Config | undefined;
  index?: number | string;
}

export class Model {
  readonly instances: Instance[] = [];
  private readonly byResource = new Map<string, Instance[]>();
  private readonly aliases = new Map<string, unknown>();
  /** Managed resources of each configuration module by `type.name`. */
  private readonly configIndex = new Map<Config, Map<string, Config>>();
  private attributes: (inst: Instance, name: string) => unknown = (inst, name) => inst.value([name]);

  constructor(
    readonly plan: TerraformPlan,
    readonly mapped: (type: string) => boolean,
  ) {
    for (const entry of plan.changes) {
      if (entry.mode !== "managed" || entry.deposed !== undefined || !mapped(entry.type)) continue;
      const steps = moduleSteps(entry.moduleAddress) ?? [];
      const config = this.configResource(steps, entry.type, entry.name);
      const inst = new Instance(this, entry, steps, config);
      this.instances.push(inst);
      const key = `${entry.moduleAddress}\u0000${entry.type}.${entry.name}`;
      const list = this.byResource.get(key) ?? [];
      list.push(inst);
      this.byResource.set(key, list);
    }
  }

  setAttributes(f: (inst: Instance, name: string) => unknown): void {
    this.attributes = f;
  }

  /** Physical ids and ARNs of planned resources (an update) stand for their planned ids and ARNs. */
  addAlias(physical: unknown, planned: unknown): void {
    if (typeof physical === "string" && physical !== "" && !this.aliases.has(physical)) this.aliases.set(physical, planned);
  }

  alias(v: unknown): unknown {
    return typeof v === "string" && this.aliases.has(v) ? this.aliases.get(v) : v;
  }

  get root(): Config | undefined {
    const c = this.plan.configuration.root_module;
    return isRecord(c) ? c : undefined;
  }

  configModule(steps: readonly ModuleStep[]): Config | undefined {
    let m = this.root;
    for (const s of steps) {
      const call = this.moduleCall(m, s.name);
      m = call && isRecord(call.module) ? call.module : undefined;
    }
    return m;
  }

  moduleCall(module: Config | undefined, name: string): Config | undefined {
    const calls = module?.module_calls;
    const call = isRecord(calls) ? calls[name] : undefined;
    return isRecord(call) ? call : undefined;
  }

  private configResource(steps: readonly ModuleStep[], type: string, name: string): Config | undefined {
    const module = this.configModule(steps);
    if (!module) return undefined;
    let index = this.configIndex.get(module);
    if (!index) {
      index = new Map();
      const resources: unknown = module.resources;
      if (Array.isArray(resources))
        for (const x of resources as unknown[])
          if (isRecord(x) && (x.mode ?? "managed") === "managed" && typeof x.type === "string" && typeof x.name === "string")
            index.set(`${x.type}.${x.name}`, x);
      this.configIndex.set(module, index);
    }
    return index.get(`${type}.${name}`);
  }

  instancesOf(moduleAddress: string, type: string, name: string): Instance[] {
    return this.byResource.get(`${moduleAddress}\u0000${type}.${name}`) ?? [];
  }

  /**
   * The values an expression stands for, each planned value or Unresolved: one per reference it
   * holds (a splat or list variable gives several). `want` says whether the field is one value.
   */
  resolve(scope: Scope, expr: Config | undefined, want: "scalar" | "list", hops: number): unknown[] {
    if (!expr) return [];
    if (Object.prototype.hasOwnProperty.call(expr, "constant_value")) return spread([expr.constant_value], want);
    const refs = Array.isArray(expr.references) ? expr.references.filter((r): r is string => typeof r === "string") : [];
    const parsed = maximalReferences(refs).map(parseReference);
    const byIndex = parsed.some((r) => r.kind === "count" || r.kind === "each");
    const meaningful = parsed.filter((r) => r.kind !== "count" && r.kind !== "each");
    if (want === "scalar" && meaningful.length !== 1)
      return meaningful.length === 0 ? [] : [unresolved("expression", refs.join(", "), "the value combines several references")];
    if (hops > MAX_HOPS) return [unresolved("expression", refs[0] ?? "", "references nest too deep to follow")];
    const out: unknown[] = [];
    for (const r of meaningful) {
      switch (r.kind) {
        case "resource": {
          const address = instanceAddress(scope.moduleAddress, r.type, r.name, r.index);
          let targets = this.instancesOf(scope.moduleAddress, r.type, r.name);
          if (r.index !== undefined) targets = targets.filter((t) => t.entry.index === r.index);
          else if (targets.length > 1 || targets.some((t) => t.entry.index !== undefined)) {
            const own = byIndex && scope.index !== undefined ? targets.filter((t) => t.entry.index === scope.index) : [];
            if (own.length === 1) targets = own;
            else if (want === "scalar") {
              out.push(unresolved("expression", address, "refers to one of several instances"));
              continue;
            }
          }
          targets = targets.filter((t) => t.planned);
          if (targets.length === 0) {
            out.push(unresolved("resource", address, "not planned"));
            continue;
          }
          // A splat (`aws_subnet.private[*].id`) is listed as the bare resource: in a field of ids, its ids.
          const rest = r.rest.length === 0 && want === "list" ? [{ name: "id" }] : r.rest;
          for (const t of targets) out.push(this.attributeAt(t, rest));
          break;
        }
        case "var": {
          const values = this.variable(scope, r.name, want, hops);
          out.push(...values.map((v) => traverse(v, r.rest)));
          break;
        }
        case "module": {
          const call = this.moduleCall(scope.module, r.name);
          const output = r.rest[0];
          const outputs = call && isRecord(call.module) ? call.module.outputs : undefined;
          const o = isRecord(outputs) && isName(output) ? outputs[output.name] : undefined;
          if (!call || !isRecord(o) || !isRecord(o.expression)) {
            out.push(unresolved("expression", `module.${r.name}`, "a module output the plan's configuration does not hold"));
            continue;
          }
          let index = r.index;
          const repeated = call.count_expression !== undefined || call.for_each_expression !== undefined;
          if (index === undefined && repeated) {
            if (byIndex && scope.index !== undefined) index = scope.index;
            else {
              out.push(unresolved("expression", `module.${r.name}`, "refers to one of several module instances"));
              continue;
            }
          }
          const steps = [...scope.steps, index === undefined ? { name: r.name } : { name: r.name, index }];
          const child: Scope = { moduleAddress: moduleAddressOf(steps), steps, module: isRecord(call.module) ? call.module : undefined };
          out.push(...this.resolve(child, o.expression, want, hops + 1).map((v) => traverse(v, r.rest.slice(1))));
          break;
        }
        case "data":
          out.push(unresolved("computed", `data.${r.type}.${r.name}`, "read at apply time"));
          break;
        case "local":
          out.push(unresolved("expression", `local.${r.name}`, "local values are not in the plan's configuration"));
          break;
        case "other":
          out.push(unresolved("expression", r.text, "not followed"));
      }
    }
    return spread(out, want);
  }

  /** An input variable's value in a module instance: the root's value, or the module call's argument in the parent. */
  private variable(scope: Scope, name: string, want: "scalar" | "list", hops: number): unknown[] {
    if (scope.steps.length === 0) {
      return this.plan.variables.has(name) ? [this.plan.variables.get(name)] : [unresolved("parameter", `var.${name}`, "the plan gives no value")];
    }
    const steps = scope.steps.slice(0, -1);
    const last = scope.steps[scope.steps.length - 1]!;
    const parentModule = this.configModule(steps);
    const call = this.moduleCall(parentModule, last.name);
    const arg = call && isRecord(call.expressions) ? call.expressions[name] : undefined;
    if (!isRecord(arg)) {
      const decl = isRecord(scope.module?.variables) ? scope.module.variables[name] : undefined;
      return isRecord(decl) && Object.prototype.hasOwnProperty.call(decl, "default")
        ? [decl.default]
        : [unresolved("expression", `var.${name}`, "the module call's argument is not in the plan's configuration")];
    }
    const parent: Scope = { moduleAddress: moduleAddressOf(steps), steps, module: parentModule };
    if (last.index !== undefined) parent.index = last.index;
    return this.resolve(parent, arg, want, hops + 1);
  }

  private attributeAt(inst: Instance, rest: readonly Step[]): unknown {
    const first = rest[0];
    if (!isName(first)) return unresolved("expression", inst.address, "a whole resource, not one of its attributes");
    return traverse(this.attributes(inst, first.name), rest.slice(1));
  }
}

/** Lists flattened into a list field; a lone value as is. */
function spread(values: unknown[], want: "scalar" | "list"): unknown[] {
  if (want === "scalar") return values;
  return values.flatMap((v): unknown[] => (Array.isArray(v) ? (v as unknown[]) : [v]));
}

function traverse(v: unknown, rest: readonly Step[]): unknown {
  let cur = v;
  for (const s of rest) {
    if (isUnresolved(cur)) return cur;
    if (isIndex(s)) cur = Array.isArray(cur) && typeof s.index === "number" ? cur[s.index] : isRecord(cur) ? cur[String(s.index)] : undefined;
    else cur = isRecord(cur) ? cur[s.name] : undefined;
    if (cur === undefined) return unresolved("expression", rest.map((x) => (isIndex(x) ? indexText(x.index) : `.${x.name}`)).join(""), "not in the value");
  }
  return cur;
}

/** The value at `path` (names and list indexes). */
export function at(root: unknown, path: Path): unknown {
  let cur = root;
  for (const p of path) {
    if (isUnresolved(cur)) return cur;
    if (typeof p === "number") cur = Array.isArray(cur) ? cur[p] : undefined;
    else cur = isRecord(cur) && Object.prototype.hasOwnProperty.call(cur, p) ? cur[p] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** `after` with every leaf `after_unknown` marks replaced by an Unresolved value (kind computed). */
export function withUnknowns(after: unknown, unknown: unknown, address: string, path: Array<string | number>): unknown {
  if (unknown === true) return unresolved("computed", `${address}.${pathText(path)}`, "known after apply");
  if (Array.isArray(unknown)) {
    const list = Array.isArray(after) ? after : [];
    const n = Math.max(list.length, unknown.length);
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(withUnknowns(list[i] ?? null, unknown[i], address, [...path, i]));
    return out;
  }
  if (isRecord(unknown) && (isRecord(after) || after === null || after === undefined)) {
    const base: Record<string, unknown> = isRecord(after) ? after : {};
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(base)) setOwn(out, k, withUnknowns(base[k], unknown[k], address, [...path, k]));
    for (const k of Object.keys(unknown))
      if (!Object.prototype.hasOwnProperty.call(base, k) && unknown[k] !== false) setOwn(out, k, withUnknowns(undefined, unknown[k], address, [...path, k]));
    return isRecord(after) || Object.keys(out).length > 0 ? out : after;
  }
  return after;
}

function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** The leaf values `sensitive` marks (a `true` marks everything under it). */
export function sensitiveLeaves(value: unknown, marks: unknown, out: unknown[], depth = 0): void {
  if (depth > 64 || marks === undefined || marks === null || marks === false) return;
  if (marks === true) {
    collectLeaves(value, out, depth);
    return;
  }
  if (Array.isArray(marks)) {
    if (Array.isArray(value)) marks.forEach((m, i) => sensitiveLeaves(value[i], m, out, depth + 1));
    return;
  }
  if (isRecord(marks) && isRecord(value)) for (const k of Object.keys(marks)) sensitiveLeaves(value[k], marks[k], out, depth + 1);
}

function collectLeaves(v: unknown, out: unknown[], depth: number): void {
  if (depth > 64 || v === null || v === undefined) return;
  if (Array.isArray(v)) v.forEach((x) => collectLeaves(x, out, depth + 1));
  else if (isRecord(v)) Object.values(v).forEach((x) => collectLeaves(x, out, depth + 1));
  else out.push(v);
}

export type { Unresolved };
