// SageMaker pipeline definitions (what the SageMaker Python SDK's `pipeline.definition()` writes,
// "Version": "2020-12-01"), standalone or inside `AWS::SageMaker::Pipeline` and
// `aws_sagemaker_pipeline`. The jobs a pipeline starts are planned from its steps: a Training
// step's `Arguments` are a CreateTrainingJob request, a Processing step's a CreateProcessingJob
// request, a Model step's a CreateModel request, and those carry the fields the describe calls
// return (`VpcConfig`, `NetworkConfig.VpcConfig`, `OutputDataConfig.KmsKeyId`, …). Steps inside
// Condition steps are planned too: they run when the condition holds, and the gate asks whether
// they may. A RegisterModel step adds a version to the model package group it names.
//
// Values: `{"Get": "Parameters.X"}` is the parameter's --parameters value or its default, else
// unresolved; `{"Std:Join": {"On", "Values"}}` joins what is known; properties of other steps
// and of the execution (`Steps.…`, `Execution.…`, `Std:JsonGet`) are known only when the
// pipeline runs: unresolved. A job's name is given by SageMaker when the step runs, so the
// planned job's id is `<pipeline>/<step>` and rules on the name (WL004) give no result.
import type { ResourceObject } from "../resources/catalog.js";
import type { SourceLocation } from "../resources/source.js";
import { isUnresolved, unresolved, type Unresolved } from "../resources/unresolved.js";
import { HOLE_PATTERN, isRecord } from "./cfn/resolve.js";
import type { Amendment, PlannedResource, PlanWarning } from "./types.js";

export const PIPELINE_VERSION = "2020-12-01";

/** Deepest nesting of Condition steps followed. */
const MAX_CONDITION_DEPTH = 16;

export interface PipelineSpec {
  /** The pipeline's name (the definition does not hold it). */
  name: string;
  definition: unknown;
  /** Where each step is declared (a standalone file: the step's lines; a template or plan: the pipeline's). */
  source(stepPath: ReadonlyArray<string | number>): SourceLocation;
  /** Text naming the declaration in synthetic ARNs (`arn:sagegate:pipeline:::<base>/<step>`). */
  arnBase: string;
  /** --parameters values for the pipeline. */
  parameters: ReadonlyMap<string, string>;
  accountId: string;
  region: string;
  /** Replaces physical ids of planned resources by their planned ids (Terraform), or identity. */
  alias?(v: unknown): unknown;
  /** Parts of a definition body not known before deploy (a template's Fn::Join), by the markers in its text. */
  holes?: readonly Unresolved[];
}

export interface PlannedPipeline {
  resources: PlannedResource[];
  amendments: Amendment[];
  warnings: PlanWarning[];
}

/** Whether a parsed JSON document is a pipeline definition. */
export function isPipelineDefinition(doc: unknown): boolean {
  return isRecord(doc) && Array.isArray(doc.Steps) && (typeof doc.Version === "string" || Array.isArray(doc.Parameters));
}

interface Parameter {
  name: string;
  type: string;
  value: unknown;
}

export function planPipeline(spec: PipelineSpec): PlannedPipeline {
  const out: PlannedPipeline = { resources: [], amendments: [], warnings: [] };
  const doc = spec.definition;
  if (!isPipelineDefinition(doc) || !isRecord(doc)) {
    out.warnings.push({
      source: spec.source([]),
      message: `pipeline ${spec.name}: the definition is not a SageMaker pipeline definition (no Steps), so its jobs are not evaluated`,
    });
    return out;
  }
  const parameters = new Map<string, Parameter>();
  if (Array.isArray(doc.Parameters))
    for (const p of doc.Parameters) {
      if (!isRecord(p) || typeof p.Name !== "string") continue;
      const type = typeof p.Type === "string" ? p.Type : "String";
      const given = spec.parameters.get(p.Name);
      const value =
        given !== undefined
          ? typed(given, type)
          : Object.prototype.hasOwnProperty.call(p, "DefaultValue") && p.DefaultValue !== null
            ? p.DefaultValue
            : unresolved("parameter", p.Name, `pipeline ${spec.name}: no default and no value: pass --parameters`);
      parameters.set(p.Name, { name: p.Name, type, value });
    }
  const ctx = new Context(spec, parameters, out);
  ctx.steps(doc.Steps as unknown[], ["Steps"], 0);
  return out;
}

/** A --parameters value as the parameter's type (the file gives text). */
function typed(text: string, type: string): unknown {
  if (type === "Integer" && /^-?\d+$/.test(text.trim())) return Number(text.trim());
  if (type === "Float" && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text.trim())) return Number(text.trim());
  if (type === "Boolean" && /^(true|false)$/i.test(text.trim())) return text.trim().toLowerCase() === "true";
  return text;
}

const JOB_STEPS: Record<string, { type: string; idField: string; arnField: string; status: [string, string] }> = {
  Training: { type: "AWS::SageMaker::TrainingJob", idField: "TrainingJobName", arnField: "TrainingJobArn", status: ["TrainingJobStatus", "InProgress"] },
  Processing: {
    type: "AWS::SageMaker::ProcessingJob",
    idField: "ProcessingJobName",
    arnField: "ProcessingJobArn",
    status: ["ProcessingJobStatus", "InProgress"],
  },
  Model: { type: "AWS::SageMaker::Model", idField: "ModelName", arnField: "ModelArn", status: ["", ""] },
};

class Context {
  constructor(
    readonly spec: PipelineSpec,
    readonly parameters: ReadonlyMap<string, Parameter>,
    readonly out: PlannedPipeline,
  ) {}

  steps(list: unknown[], path: Array<string | number>, depth: number): void {
    if (depth > MAX_CONDITION_DEPTH) return;
    list.forEach((step, i) => {
      if (!isRecord(step) || typeof step.Name !== "string") return;
      const at = [...path, i];
      const args = isRecord(step.Arguments) ? step.Arguments : undefined;
      if (step.Type === "Condition" && args) {
        for (const branch of ["IfSteps", "ElseSteps"])
          if (Array.isArray(args[branch])) this.steps(args[branch] as unknown[], [...at, "Arguments", branch], depth + 1);
        return;
      }
      const job = typeof step.Type === "string" ? JOB_STEPS[step.Type] : undefined;
      if (job && args) this.job(step.Name, job, args, at);
      else if (step.Type === "RegisterModel" && args) this.register(step.Name, args, at);
    });
  }

  private job(step: string, job: (typeof JOB_STEPS)[string], args: Record<string, unknown>, path: ReadonlyArray<string | number>): void {
    const id = `${this.spec.name}/${step}`;
    const arn = `arn:sagegate:pipeline:::${this.spec.arnBase}/${step}`;
    const data = this.value(args, 0) as ResourceObject;
    // SageMaker names the job when the step runs (pipelines-<execution>-<step>-…): not declarable.
    data[job.idField] = id;
    data[job.arnField] = arn;
    if (job.status[0]) data[job.status[0]] = job.status[1];
    if (job.type === "AWS::SageMaker::Model" && data.VpcConfig === undefined) delete data.VpcConfig;
    this.out.resources.push({ type: job.type, id, arn, data, source: this.spec.source(path), undeclarable: [job.idField] });
  }

  private register(step: string, args: Record<string, unknown>, path: ReadonlyArray<string | number>): void {
    const group = this.value(args.ModelPackageGroupName, 0);
    if (group === undefined) return; // an unversioned package belongs to no group
    const item: ResourceObject = {
      ModelPackageArn: `arn:sagegate:pipeline:::${this.spec.arnBase}/${step}`,
      ModelPackageGroupName: group,
      ModelApprovalStatus: this.value(args.ModelApprovalStatus, 0) ?? "PendingManualApproval",
      ModelPackageStatus: "Completed",
    };
    for (const k of ["ModelPackageDescription", "CustomerMetadataProperties", "ModelMetrics", "InferenceSpecification", "ApprovalDescription"])
      if (args[k] !== undefined) item[k] = this.value(args[k], 0);
    this.out.amendments.push({
      type: "AWS::SageMaker::ModelPackageGroup",
      id: group,
      field: "ModelPackages",
      items: [item],
      source: this.spec.source(path),
      what: `pipeline ${this.spec.name} step ${step} (RegisterModel)`,
    });
  }

  /** A value of the definition with its expressions evaluated. */
  value(v: unknown, depth: number): unknown {
    if (depth > 64) return unresolved("expression", "(nested too deep)", "not evaluated");
    if (Array.isArray(v)) return v.map((x) => this.value(x, depth + 1));
    if (typeof v === "string" && this.spec.holes) {
      const m = HOLE_PATTERN.exec(v);
      if (m) return this.spec.holes[Number(m[1])] ?? unresolved("expression", "PipelineDefinitionBody", "not known before deploy");
    }
    if (!isRecord(v)) return this.spec.alias ? this.spec.alias(v) : v;
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === "Get") return this.get(v.Get);
    if (keys.length === 1 && keys[0]!.startsWith("Std:")) return this.func(keys[0]!, v[keys[0]!], depth);
    const out: Record<string, unknown> = {};
    for (const k of keys) Object.defineProperty(out, k, { value: this.value(v[k], depth + 1), enumerable: true, writable: true, configurable: true });
    return out;
  }

  private get(name: unknown): unknown {
    if (typeof name !== "string") return unresolved("expression", JSON.stringify(name) ?? "Get", "not a property name");
    if (name.startsWith("Parameters.")) {
      const p = this.parameters.get(name.slice("Parameters.".length));
      if (!p) return unresolved("parameter", name.slice("Parameters.".length), `pipeline ${this.spec.name} declares no such parameter`);
      return this.spec.alias ? this.spec.alias(p.value) : p.value;
    }
    return unresolved("attribute", name, "known only when the pipeline runs");
  }

  private func(name: string, arg: unknown, depth: number): unknown {
    if (name === "Std:Join" && isRecord(arg) && Array.isArray(arg.Values)) {
      const on = this.value(arg.On ?? "", depth + 1);
      if (isUnresolved(on)) return on;
      const parts: string[] = [];
      for (const x of arg.Values) {
        const v = this.value(x, depth + 1);
        if (isUnresolved(v)) return v;
        if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") return unresolved("expression", name, "joins a value that is not text");
        parts.push(String(v));
      }
      return parts.join(String(on));
    }
    if (name === "Std:JsonGet") return unresolved("attribute", name, "reads a property file when the pipeline runs");
    return unresolved("expression", name, "a pipeline function sagegate does not evaluate");
  }
}

export type { Unresolved };
