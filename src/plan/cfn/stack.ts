// CloudFormation stacks (plain templates or the stacks of a CDK assembly) to planned resources.
// All stacks of a run are planned together: a stack may import another's export, and resources
// deployed into the same account and region are evaluated together. Each resource's properties
// are resolved on demand (a resource's id may depend on its name property, an attribute on
// another resource's property), with cycles refused as CloudFormation refuses them.
import { TemplateError } from "../../errors.js";
import { partitionOf, type ResourceObject } from "../../resources/catalog.js";
import type { SourceLocation } from "../../resources/source.js";
import { isUnresolved, unresolved, type Unresolved } from "../../resources/unresolved.js";
import type { PlannedResource, PlannedSet, PlanTarget, PlanWarning, Amendment } from "../types.js";
import type { ParsedTemplate } from "./parse.js";
import { isRecord, NO_VALUE, Resolver, SYMBOLIC, type ParameterDecl, type Path, type StackEnvironment } from "./resolve.js";
import { afterDeploy, TYPES, type Declaration, type TypeHandler } from "./translate.js";
import { planPipeline } from "../pipeline.js";
import { scanJson } from "../../snapshot/scan.js";

export interface StackSpec {
  template: ParsedTemplate;
  /** The CloudFormation stack name, or a symbolic one for a plain template. */
  stackName: string;
  /** Short name for messages and for telling apart equal logical ids of two stacks (a CDK artifact id, a template's base name). */
  label: string;
  target: PlanTarget;
  /** CDK construct paths by logical id. */
  cdkPaths?: ReadonlyMap<string, string>;
  /** Whether `stackName` is the real stack name (then live resources tagged with it and a logical id are this declaration). */
  namedStack: boolean;
  /** --parameters values (and export values given the same way). */
  parameters: ReadonlyMap<string, string>;
  /** --parameters values of a pipeline (AWS::SageMaker::Pipeline) by its name; default: the stack's. */
  pipelineParameters?: (name: string) => ReadonlyMap<string, string>;
}

/** Plans every stack; returns one planned set per stack, in the order given. */
export function planStacks(specs: readonly StackSpec[]): PlannedSet[] {
  const stacks = specs.map((spec) => new Stack(spec));
  const planner = new Planner(stacks);
  return stacks.map((s) => s.plan(planner));
}

function targetKey(t: PlanTarget): string {
  return `${t.accountId}\u0000${t.region}`;
}

/** What all stacks share: who declares which logical id per target, and the exports. */
class Planner {
  private readonly owners = new Map<string, number>();
  private exportIndex: Map<string, { stack: Stack; output: string }> | undefined;

  constructor(readonly stacks: readonly Stack[]) {
    for (const s of stacks)
      for (const [logicalId, type] of s.types) {
        const key = `${targetKey(s.spec.target)}\u0000${snapshotTypeOf(type)}\u0000${logicalId}`;
        this.owners.set(key, (this.owners.get(key) ?? 0) + 1);
      }
  }

  /** The logical id, qualified with the stack's label when another stack of the same target declares it too. */
  baseId(stack: Stack, logicalId: string, type: string): string {
    const key = `${targetKey(stack.spec.target)}\u0000${snapshotTypeOf(type)}\u0000${logicalId}`;
    return (this.owners.get(key) ?? 0) > 1 ? `${stack.spec.label}/${logicalId}` : logicalId;
  }

  importValue(from: Stack, name: string): unknown {
    if (this.exportIndex === undefined) {
      this.exportIndex = new Map();
      for (const s of this.stacks)
        for (const [exportName, output] of s.exports()) this.exportIndex.set(`${targetKey(s.spec.target)}\u0000${exportName}`, { stack: s, output });
    }
    const given = from.spec.parameters.get(name);
    if (given !== undefined) return given;
    const found = this.exportIndex.get(`${targetKey(from.spec.target)}\u0000${name}`);
    if (found) return found.stack.outputValue(found.output);
    return unresolved("import", name, "give the export's value in a --parameters file (its key is the export name), or plan the exporting stack too");
  }

  /** A planned EndpointConfig of the same target, by name. */
  endpointConfig(from: Stack, name: string): ResourceObject | undefined {
    for (const s of this.stacks) {
      if (targetKey(s.spec.target) !== targetKey(from.spec.target)) continue;
      for (const [logicalId, type] of s.types) {
        if (type !== "AWS::SageMaker::EndpointConfig" || s.created(logicalId) === false) continue;
        const d = s.declaration(logicalId, this);
        if (d.id === name) return s.endpointConfigObject(d);
      }
    }
    return undefined;
  }
}

function snapshotTypeOf(cfnType: string): string {
  return TYPES[cfnType]?.snapshotType ?? cfnType;
}

class Stack {
  readonly types = new Map<string, string>();
  private readonly resources: Record<string, Record<string, unknown>>;
  private readonly resolver: Resolver;
  private readonly declarations = new Map<string, Declaration>();
  private readonly props = new Map<string, unknown>();
  private readonly resolving = new Set<string>();
  private readonly env: StackEnvironment;
  private planner!: Planner;

  constructor(readonly spec: StackSpec) {
    const t = spec.template;
    const doc = t.value;
    const resources = doc.Resources;
    if (!isRecord(resources) || Object.keys(resources).length === 0)
      throw new TemplateError("a template needs a Resources mapping with at least one resource", t.file, t.locate(["Resources"], true));
    this.resources = {};
    for (const [logicalId, r] of Object.entries(resources)) {
      if (!/^[A-Za-z0-9]+$/.test(logicalId))
        throw new TemplateError(`logical id "${logicalId}" is not alphanumeric`, t.file, t.locate(["Resources", logicalId], true));
      if (!isRecord(r) || typeof r.Type !== "string")
        throw new TemplateError(`resource ${logicalId} needs a Type`, t.file, t.locate(["Resources", logicalId], true));
      if (r.Properties !== undefined && !isRecord(r.Properties))
        throw new TemplateError(`resource ${logicalId}: Properties must be a mapping`, t.file, t.locate(["Resources", logicalId, "Properties"]));
      this.resources[logicalId] = r;
      this.types.set(logicalId, r.Type);
    }
    checkDependencies(t, this.resources);
    const { accountId, region } = spec.target;
    const symbolicRegion = region === SYMBOLIC.region;
    this.env = {
      accountId,
      region,
      partition: symbolicRegion ? SYMBOLIC.partition : partitionOf(region),
      urlSuffix: symbolicRegion ? SYMBOLIC.urlSuffix : region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com",
      stackName: spec.stackName,
    };
    const hooks = {
      has: (id: string) => Object.prototype.hasOwnProperty.call(this.resources, id),
      ref: (id: string) => this.ref(id),
      getAtt: (id: string, attribute: string) => this.getAtt(id, attribute),
      importValue: (name: string) => this.planner.importValue(this, name),
    };
    this.resolver = new Resolver(t, this.env, parameterDecls(t), spec.parameters, hooks);
  }

  /** Whether a resource is created: its Condition, when it has one. */
  created(logicalId: string): boolean | Unresolved {
    const condition = this.resources[logicalId]!.Condition;
    if (condition === undefined) return true;
    if (typeof condition !== "string") throw this.resolver.error("Condition takes a condition name", ["Resources", logicalId, "Condition"]);
    return this.resolver.condition(condition, ["Resources", logicalId, "Condition"]);
  }

  private handler(logicalId: string): TypeHandler | undefined {
    return TYPES[this.types.get(logicalId)!];
  }

  private ref(logicalId: string): unknown {
    if (this.created(logicalId) === false) return unresolved("expression", logicalId, "the resource is not created: its Condition is false");
    const handler = this.handler(logicalId);
    if (!handler) return unresolved("attribute", logicalId, `the physical id of a ${this.types.get(logicalId)} is known only after deploy`);
    const d = this.declaration(logicalId, this.planner);
    return handler.ref ? handler.ref(d) : d.id;
  }

  private getAtt(logicalId: string, attribute: string): unknown {
    const handler = this.handler(logicalId);
    const attr = handler?.attributes?.[attribute];
    if (!attr) return unresolved("attribute", `${logicalId}.${attribute}`, "known only after deploy");
    return attr(this.declaration(logicalId, this.planner));
  }

  /** A resolved property of a resource; undefined when absent. Cycles are a template error. */
  property(logicalId: string, name: string): unknown {
    const key = `${logicalId}\u0000${name}`;
    if (this.props.has(key)) return this.props.get(key);
    const path: Path = ["Resources", logicalId, "Properties", name];
    if (this.resolving.has(key)) throw this.resolver.error(`circular reference: ${logicalId}.${name} depends on itself`, path);
    const properties = this.resources[logicalId]!.Properties as Record<string, unknown> | undefined;
    if (properties === undefined || !Object.prototype.hasOwnProperty.call(properties, name)) return undefined;
    this.resolving.add(key);
    let value = this.resolver.resolve(properties[name], path);
    this.resolving.delete(key);
    if (value === NO_VALUE) value = undefined;
    this.props.set(key, value);
    return value;
  }

  declaration(logicalId: string, planner: Planner): Declaration {
    let d = this.declarations.get(logicalId);
    if (d) return d;
    const type = this.types.get(logicalId)!;
    const handler = TYPES[type];
    const base = planner.baseId(this, logicalId, type);
    const file = this.spec.template.file;
    let id: string | undefined;
    const property = (name: string) => this.property(logicalId, name);
    d = {
      logicalId,
      cfnType: type,
      get id(): string {
        if (id !== undefined) return id;
        const name = handler?.nameProperty ? property(handler.nameProperty) : undefined;
        id = typeof name === "string" && name.length > 0 ? name : base;
        return id;
      },
      arn: `arn:sagegate:cloudformation:::${file}#${logicalId}`,
      accountId: this.env.accountId,
      region: this.env.region,
      partition: this.env.partition,
      urlSuffix: this.env.urlSuffix,
      stackName: this.env.stackName,
      prop: (name) => this.property(logicalId, name),
      path: (...sub) => ["Resources", logicalId, "Properties", ...sub],
      fail: (message, path) => {
        throw this.resolver.error(`${logicalId} (${type}): ${message}`, path);
      },
      textWithHoles: (...sub) => {
        let raw: unknown = this.resources[logicalId]!.Properties;
        for (const k of sub) raw = isRecord(raw) ? raw[k] : undefined;
        return this.resolver.resolveWithHoles(raw, ["Resources", logicalId, "Properties", ...sub]);
      },
      endpointConfig: (name) => {
        if (isUnresolved(name)) return name;
        if (typeof name !== "string") return unresolved("expression", `${logicalId}.EndpointConfigName`, "not a name");
        return planner.endpointConfig(this, name) ?? unresolved("resource", name, "the endpoint config is not declared in the templates");
      },
    };
    this.declarations.set(logicalId, d);
    return d;
  }

  endpointConfigObject(d: Declaration): ResourceObject {
    const out: ResourceObject = { EndpointConfigName: d.id, EndpointConfigArn: d.arn };
    for (const k of [
      "ProductionVariants",
      "KmsKeyId",
      "DataCaptureConfig",
      "AsyncInferenceConfig",
      "ShadowProductionVariants",
      "ExplainerConfig",
      "EnableNetworkIsolation",
      "VpcConfig",
      "ExecutionRoleArn",
    ]) {
      const v = d.prop(k);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }

  /** Export name → output name, for the exports whose names resolve. */
  *exports(): Iterable<[string, string]> {
    const outputs = this.spec.template.value.Outputs;
    if (!isRecord(outputs)) return;
    for (const [name, output] of Object.entries(outputs)) {
      if (!isRecord(output) || !isRecord(output.Export)) continue;
      const exportName = this.resolver.resolve(output.Export.Name, ["Outputs", name, "Export", "Name"]);
      if (typeof exportName === "string") yield [exportName, name];
    }
  }

  outputValue(output: string): unknown {
    const o = (this.spec.template.value.Outputs as Record<string, Record<string, unknown>>)[output]!;
    return this.resolver.resolve(o.Value, ["Outputs", output, "Value"]);
  }

  private source(logicalId: string): SourceLocation {
    const t = this.spec.template;
    const line = t.locate(["Resources", logicalId], true).line ?? 1;
    const source: SourceLocation = { file: t.file, line, logicalId, stack: this.spec.label };
    const end = t.endLine(["Resources", logicalId]);
    if (end !== undefined && end >= line) source.endLine = end;
    const cdkPath = this.spec.cdkPaths?.get(logicalId) ?? cdkPathMetadata(this.resources[logicalId]!);
    if (cdkPath !== undefined) source.cdkPath = cdkPath;
    return source;
  }

  /** The jobs and model versions of a pipeline the template declares; steps point at the pipeline's logical id. */
  private pipeline(
    p: { name: unknown; body: unknown },
    source: SourceLocation,
    created: boolean | Unresolved,
    resources: PlannedResource[],
    amendments: Amendment[],
    warnings: PlanWarning[],
  ): void {
    const what = `AWS::SageMaker::Pipeline ${source.logicalId ?? ""}`.trim();
    const name = typeof p.name === "string" ? p.name : (source.logicalId ?? "pipeline");
    const body = p.body;
    if (!isRecord(body) || typeof body.text !== "string") {
      warnings.push({
        source,
        message: `${what}: ${isRecord(body) && body.PipelineDefinitionS3Location !== undefined ? "the definition is read from S3 at deploy" : "the definition is not known before deploy"}, so the jobs it starts are not evaluated`,
        cause: isUnresolved(body)
          ? body.$unresolved
          : { kind: "expression", name: `${source.logicalId}.PipelineDefinition`, hint: "give PipelineDefinitionBody in the template" },
      });
      return;
    }
    let definition: unknown;
    try {
      definition = scanJson(Buffer.from(body.text, "utf8"), { spanAt: () => false, maxDepth: 128 });
    } catch (err) {
      throw new TemplateError(`${what}: PipelineDefinitionBody is not valid JSON (${err instanceof Error ? err.message : String(err)})`, source.file, {
        line: source.line,
      });
    }
    const planned = planPipeline({
      name,
      definition,
      source: () => source,
      arnBase: `${source.file}#${source.logicalId}`,
      parameters: this.spec.pipelineParameters?.(name) ?? this.spec.parameters,
      accountId: this.spec.target.accountId,
      region: this.spec.target.region,
      holes: body.holes as Unresolved[],
    });
    for (const r of planned.resources) resources.push(isUnresolved(created) ? { ...r, condition: created.$unresolved } : r);
    if (isUnresolved(created))
      for (const a of planned.amendments)
        warnings.push({
          source,
          message: `${a.what} is registered only if a condition holds that could not be resolved; it is not applied`,
          cause: created.$unresolved,
        });
    else amendments.push(...planned.amendments);
    warnings.push(...planned.warnings);
  }

  plan(planner: Planner): PlannedSet {
    this.planner = planner;
    const resources: PlannedResource[] = [];
    const amendments: Amendment[] = [];
    const warnings: PlanWarning[] = [];
    for (const [logicalId] of this.types) {
      const handler = this.handler(logicalId);
      if (!handler) continue;
      const created = this.created(logicalId);
      if (created === false) continue;
      const out = handler.translate(this.declaration(logicalId, planner));
      const source = this.source(logicalId);
      if (out.resource) {
        const planned: PlannedResource = { ...out.resource, source };
        if (isUnresolved(created)) planned.condition = created.$unresolved;
        if (this.spec.namedStack) planned.liveTags = { "aws:cloudformation:stack-name": this.spec.stackName, "aws:cloudformation:logical-id": logicalId };
        resources.push(planned);
      }
      if (out.pipeline) this.pipeline(out.pipeline, source, created, resources, amendments, warnings);
      for (const a of out.amendments ?? []) {
        if (isUnresolved(created))
          warnings.push({
            source,
            message: `${a.what} is created only if a condition holds that could not be resolved; it is not applied`,
            cause: created.$unresolved,
          });
        else amendments.push({ ...a, source });
      }
    }
    const transform = this.spec.template.value.Transform;
    if (
      transform !== undefined &&
      !(transform === "AWS::LanguageExtensions" || (Array.isArray(transform) && transform.every((x) => x === "AWS::LanguageExtensions")))
    ) {
      warnings.push({
        source: { file: this.spec.template.file, line: this.spec.template.locate(["Transform"], true).line ?? 1 },
        message: `the template uses Transform ${JSON.stringify(transform)}: resources the transform generates at deploy are not seen`,
      });
    }
    return { name: this.spec.label, target: this.spec.target, resources, amendments, warnings };
  }
}

function cdkPathMetadata(resource: Record<string, unknown>): string | undefined {
  const metadata = resource.Metadata;
  const path = isRecord(metadata) ? metadata["aws:cdk:path"] : undefined;
  return typeof path === "string" ? path : undefined;
}

function parameterDecls(t: ParsedTemplate): Map<string, ParameterDecl> {
  const out = new Map<string, ParameterDecl>();
  const params = t.value.Parameters;
  if (params === undefined) return out;
  if (!isRecord(params)) throw new TemplateError("Parameters must be a mapping", t.file, t.locate(["Parameters"]));
  for (const [name, p] of Object.entries(params)) {
    if (!isRecord(p) || typeof p.Type !== "string") throw new TemplateError(`parameter ${name} needs a Type`, t.file, t.locate(["Parameters", name], true));
    const decl: ParameterDecl = { name, type: p.Type };
    if (p.Default !== undefined) decl.default = p.Default;
    if (Array.isArray(p.AllowedValues)) decl.allowedValues = p.AllowedValues;
    out.set(name, decl);
  }
  return out;
}

/**
 * DependsOn must name resources of the template, and DependsOn plus references (Ref, GetAtt,
 * Sub) between resources must not form a cycle: CloudFormation refuses such a template.
 */
function checkDependencies(t: ParsedTemplate, resources: Record<string, Record<string, unknown>>): void {
  const edges = new Map<string, Array<{ to: string; path: Path }>>();
  for (const [id, r] of Object.entries(resources)) {
    const list: Array<{ to: string; path: Path }> = [];
    const dependsOn = r.DependsOn;
    const names = typeof dependsOn === "string" ? [dependsOn] : Array.isArray(dependsOn) ? dependsOn : dependsOn === undefined ? [] : null;
    if (names === null)
      throw new TemplateError(`resource ${id}: DependsOn takes a resource name or a list of them`, t.file, t.locate(["Resources", id, "DependsOn"]));
    names.forEach((name, i) => {
      const path: Path = typeof dependsOn === "string" ? ["Resources", id, "DependsOn"] : ["Resources", id, "DependsOn", i];
      if (typeof name !== "string" || !Object.prototype.hasOwnProperty.call(resources, name))
        throw new TemplateError(`resource ${id}: DependsOn names "${String(name)}", which is not a resource of the template`, t.file, t.locate(path));
      list.push({ to: name, path });
    });
    collectReferences(r.Properties, ["Resources", id, "Properties"], resources, list);
    edges.set(id, list);
  }
  const state = new Map<string, "visiting" | "done">();
  const visit = (id: string, trail: string[]): void => {
    state.set(id, "visiting");
    for (const e of edges.get(id) ?? []) {
      if (e.to === id && e.path.includes("DependsOn")) throw new TemplateError(`resource ${id} depends on itself`, t.file, t.locate(e.path));
      const s = state.get(e.to);
      if (s === "visiting") {
        const cycle = [...trail.slice(trail.indexOf(e.to)), id, e.to];
        throw new TemplateError(`circular dependency between resources: ${cycle.join(" → ")}`, t.file, t.locate(e.path));
      }
      if (s === undefined) visit(e.to, [...trail, id]);
    }
    state.set(id, "done");
  };
  for (const id of Object.keys(resources).sort()) if (!state.has(id)) visit(id, []);
}

/** References to other resources written in a value (Ref, GetAtt, ${Res} and ${Res.Attr} in Sub). */
function collectReferences(value: unknown, path: Path, resources: Record<string, unknown>, out: Array<{ to: string; path: Path }>): void {
  const isResource = (name: unknown): name is string => typeof name === "string" && Object.prototype.hasOwnProperty.call(resources, name);
  if (Array.isArray(value)) return value.forEach((v, i) => collectReferences(v, [...path, i], resources, out));
  if (!isRecord(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const at = [...path, k];
    if (k === "Ref" && isResource(v)) out.push({ to: v, path: at });
    else if (k === "Fn::GetAtt" && Array.isArray(v) && isResource(v[0])) out.push({ to: v[0], path: at });
    else if (k === "Fn::Sub") {
      const text = typeof v === "string" ? v : Array.isArray(v) && typeof v[0] === "string" ? v[0] : "";
      const vars = Array.isArray(v) && isRecord(v[1]) ? v[1] : {};
      for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
        const name = m[1]!.split(".")[0]!.trim();
        if (!Object.prototype.hasOwnProperty.call(vars, name) && isResource(name)) out.push({ to: name, path: at });
      }
      collectReferences(vars, [...at, 1], resources, out);
    } else collectReferences(v, at, resources, out);
  }
}

export { afterDeploy };
