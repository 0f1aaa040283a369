// Inputs of `sagegate plan`: each input recognises the paths it reads and turns them into planned
// sets. Terraform plan JSON and SageMaker pipeline definitions are recognised by their content
// (`format_version` with `resource_changes`; `Version` with `Steps`); every other file is a
// CloudFormation template, and a directory with manifest.json a CDK assembly. CloudFormation
// templates and CDK assemblies are one input (their stacks are planned together, since one may
// import another's export).
import { statSync } from "node:fs";
import { basename, extname, isAbsolute, relative, resolve, sep } from "node:path";
import { UsageError } from "../errors.js";
import { readAssembly, isAssemblyDir } from "./cdk.js";
import { readTemplate } from "./cfn/parse.js";
import { SYMBOLIC } from "./cfn/resolve.js";
import { planStacks, type StackSpec } from "./cfn/stack.js";
import { readParametersFile } from "./parameters.js";
import { planPipelineFile } from "./pipeline-file.js";
import { plannedAddresses, planTerraform, readPlan } from "./terraform/plan.js";
import { looksLikePlan, topLevelKeys } from "./terraform/read.js";
import type { PlannedSet, PlanTarget } from "./types.js";

export interface PlanContext {
  /** --account / --region. */
  accountId?: string;
  region?: string;
  /** The live snapshot's account and region when it has exactly one of each. */
  liveTarget?: Partial<PlanTarget>;
  /** --stack NAME (globs * and ?): stacks of assemblies to plan; empty = all. */
  stacks: readonly string[];
  /** --parameters values: FILE for every stack, or STACK=FILE for one. */
  parameters: readonly string[];
  /** Paths in reports are relative to this directory (the repository root). */
  root: string;
  /** --tf-root: the Terraform root module's directory, where `.tf` files are looked up. */
  tfRoot?: string;
}

export interface PlanInput {
  name: string;
  accepts(path: string): boolean;
  /** Reads all the paths it accepted, together. */
  plan(paths: readonly string[], context: PlanContext, parameters: ParameterValues): PlannedSet[];
}

/**
 * The --parameters values: files for every stack and pipeline, and NAME=FILE for the stack or
 * pipeline named NAME. A NAME no input has is a usage error once all inputs are planned.
 */
export class ParameterValues {
  readonly global = new Map<string, string>();
  private readonly named = new Map<string, { values: Map<string, string>; used: boolean }>();

  constructor(values: readonly string[]) {
    for (const value of values) {
      const m = /^([A-Za-z][A-Za-z0-9/_.-]*)=(.+)$/.exec(value);
      if (m && !isFile(value)) {
        const entry = this.named.get(m[1]!) ?? { values: new Map<string, string>(), used: false };
        for (const [k, v] of readParametersFile(m[2]!)) entry.values.set(k, v);
        this.named.set(m[1]!, entry);
      } else for (const [k, v] of readParametersFile(value)) this.global.set(k, v);
    }
  }

  /** The global values, then those given to any of the names (a stack's artifact id, name, display name). */
  forNames(names: readonly string[]): Map<string, string> {
    const out = new Map(this.global);
    for (const n of names) {
      const entry = this.named.get(n);
      if (!entry) continue;
      entry.used = true;
      for (const [k, v] of entry.values) out.set(k, v);
    }
    return out;
  }

  /** Throws for a NAME=FILE whose name no stack or pipeline has. */
  checkUsed(available: readonly string[]): void {
    for (const [name, entry] of this.named)
      if (!entry.used)
        throw new UsageError(
          `--parameters ${name}=…: no stack or pipeline named ${name} (and no file of that name)${available.length ? `; the inputs hold ${available.join(", ")}` : ""}`,
        );
  }
}

/** A path as reports show it: relative to the root with forward slashes when inside it, else as given. */
export function displayPath(file: string, root: string): string {
  const rel = relative(resolve(root), resolve(file));
  if (rel !== "" && !rel.startsWith("..") && !isAbsolute(rel)) return rel.split(sep).join("/");
  return file.split(sep).join("/");
}

function globToRegex(glob: string): RegExp {
  return new RegExp(
    "^" +
      glob
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".") +
      "$",
  );
}

const TEMPLATE_EXTENSIONS = new Set([".yaml", ".yml", ".json", ".template"]);

export const cloudFormationInput: PlanInput = {
  name: "CloudFormation template or CDK cloud assembly",
  accepts: (path) => isAssemblyDir(path) || isFile(path),
  plan(paths, context, parameters) {
    const specs: Array<Omit<StackSpec, "parameters"> & { names: string[] }> = [];
    const wanted = context.stacks.map((s) => ({ glob: s, re: globToRegex(s), used: false }));
    const available: string[] = [];
    for (const path of paths) {
      if (isAssemblyDir(path)) {
        for (const stack of readAssembly(path)) {
          const names = [stack.artifactId, stack.stackName, stack.displayName];
          available.push(stack.displayName);
          if (wanted.length > 0) {
            const hits = wanted.filter((w) => names.some((n) => w.re.test(n)));
            if (hits.length === 0) continue;
            for (const h of hits) h.used = true;
          }
          const file = displayPath(stack.templateFile, context.root);
          specs.push({
            template: readTemplate(stack.templateFile, file),
            stackName: stack.stackName,
            label: stack.artifactId,
            target: target(context, stack.accountId, stack.region),
            cdkPaths: stack.cdkPaths,
            namedStack: true,
            names,
          });
        }
        continue;
      }
      if (!TEMPLATE_EXTENSIONS.has(extname(path).toLowerCase()))
        throw new UsageError(`${path}: not a template (.yaml, .yml, .json, .template) or a CDK cloud assembly directory (with manifest.json)`);
      const label = basename(path, extname(path)).replace(/[^A-Za-z0-9-]/g, "-");
      specs.push({
        template: readTemplate(path, displayPath(path, context.root)),
        stackName: "${AWS::StackName}",
        label,
        target: target(context),
        namedStack: false,
        names: [label],
      });
    }
    for (const w of wanted)
      if (!w.used)
        throw new UsageError(`--stack ${w.glob} matches no stack of the assemblies given${available.length ? `; they hold ${available.join(", ")}` : ""}`);
    return planStacks(
      specs.map(({ names, ...spec }) => {
        const values = parameters.forNames(names);
        return { ...spec, parameters: values, pipelineParameters: (name: string) => new Map([...values, ...parameters.forNames([name])]) };
      }),
    );
  },
};

/** Top-level keys of JSON files, read once per run. */
const keysCache = new Map<string, Set<string> | undefined>();

function keysOf(path: string): Set<string> | undefined {
  if (!keysCache.has(path)) keysCache.set(path, isFile(path) ? topLevelKeys(path) : undefined);
  return keysCache.get(path);
}

export const terraformInput: PlanInput = {
  name: "Terraform plan JSON",
  accepts: (path) => {
    const keys = keysOf(path);
    return keys !== undefined && looksLikePlan(keys);
  },
  plan(paths, context, parameters) {
    const plans = paths.map((path) => readPlan(path, displayPath(path, context.root)));
    // Addresses two plans of the run both declare are qualified with each plan's label.
    const seen = new Map<string, number>();
    for (const p of plans) for (const a of new Set(plannedAddresses(p))) seen.set(a, (seen.get(a) ?? 0) + 1);
    const shared = new Set([...seen].filter(([, n]) => n > 1).map(([a]) => a));
    return plans
      .map((plan, i) => {
        const options: Parameters<typeof planTerraform>[1] = {
          display: (p) => displayPath(p, context.root),
          pipelineParameters: (name) => parameters.forNames([name]),
          shared,
          label: basename(paths[i]!, extname(paths[i]!)).replace(/[^A-Za-z0-9._-]/g, "-"),
        };
        if (context.tfRoot !== undefined) options.tfRoot = context.tfRoot;
        if (context.accountId !== undefined) options.accountId = context.accountId;
        if (context.region !== undefined) options.region = context.region;
        if (context.liveTarget !== undefined) options.liveTarget = context.liveTarget;
        return planTerraform(plan, options);
      })
      .flat();
  },
};

export const pipelineInput: PlanInput = {
  name: "SageMaker pipeline definition",
  accepts: (path) => {
    const keys = keysOf(path);
    return keys !== undefined && keys.has("Steps") && (keys.has("Version") || keys.has("Parameters")) && !keys.has("Resources");
  },
  plan(paths, context, parameters) {
    return paths.map((path) => {
      const t = target(context);
      const file = displayPath(path, context.root);
      const planned = planPipelineFile(path, { file, parameters: (name) => parameters.forNames([name]), accountId: t.accountId, region: t.region });
      return { name: file, target: t, resources: planned.resources, amendments: planned.amendments, warnings: planned.warnings };
    });
  },
};

/** Content-recognised inputs first: every other file is a CloudFormation template. */
export const INPUTS: readonly PlanInput[] = [terraformInput, pipelineInput, cloudFormationInput];

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Flags, then the stack's own environment, then the live snapshot; what none gives stays symbolic. */
function target(context: PlanContext, envAccount?: string, envRegion?: string): PlanTarget {
  return {
    accountId: envAccount ?? context.accountId ?? context.liveTarget?.accountId ?? SYMBOLIC.accountId,
    region: envRegion ?? context.region ?? context.liveTarget?.region ?? SYMBOLIC.region,
  };
}

/** Splits the paths among the inputs; a path no input reads is a usage error. */
export function planInputs(paths: readonly string[], context: PlanContext): PlannedSet[] {
  keysCache.clear();
  const parameters = new ParameterValues(context.parameters);
  const byInput = new Map<PlanInput, string[]>();
  for (const path of paths) {
    const input = INPUTS.find((i) => i.accepts(path));
    if (!input) throw new UsageError(`${path}: no such file, and not a CDK cloud assembly directory`);
    byInput.set(input, [...(byInput.get(input) ?? []), path]);
  }
  const sets = [...byInput].flatMap(([input, list]) => input.plan(list, context, parameters));
  keysCache.clear();
  parameters.checkUsed([...new Set(sets.map((s) => s.name))]);
  return sets;
}
