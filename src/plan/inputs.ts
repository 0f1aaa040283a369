// Inputs of `sagegate plan`: each input recognises the paths it reads and turns them into planned
// sets. CloudFormation templates and CDK assemblies are one input (their stacks are planned
// together, since one may import another's export); Terraform plans and pipeline definitions
// can be added as further inputs without touching the builder or the engine.
import { statSync } from "node:fs";
import { basename, extname, isAbsolute, relative, resolve, sep } from "node:path";
import { UsageError } from "../errors.js";
import { readAssembly, isAssemblyDir } from "./cdk.js";
import { readTemplate } from "./cfn/parse.js";
import { SYMBOLIC } from "./cfn/resolve.js";
import { planStacks, type StackSpec } from "./cfn/stack.js";
import { readParametersFile } from "./parameters.js";
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
}

export interface PlanInput {
  name: string;
  accepts(path: string): boolean;
  /** Reads all the paths it accepted, together. */
  plan(paths: readonly string[], context: PlanContext): PlannedSet[];
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
  plan(paths, context) {
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
    const { global, perStack } = parameterFiles(context.parameters, specs);
    return planStacks(
      specs.map(({ names, ...spec }) => {
        const parameters = new Map(global);
        for (const n of names) for (const [k, v] of perStack.get(n) ?? []) parameters.set(k, v);
        return { ...spec, parameters };
      }),
    );
  },
};

export const INPUTS: readonly PlanInput[] = [cloudFormationInput];

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

function parameterFiles(
  values: readonly string[],
  specs: ReadonlyArray<{ names: string[] }>,
): { global: Map<string, string>; perStack: Map<string, Map<string, string>> } {
  const global = new Map<string, string>();
  const perStack = new Map<string, Map<string, string>>();
  const stackNames = new Set(specs.flatMap((s) => s.names));
  for (const value of values) {
    const m = /^([A-Za-z][A-Za-z0-9/_-]*)=(.+)$/.exec(value);
    if (m && stackNames.has(m[1]!)) {
      const map = perStack.get(m[1]!) ?? new Map<string, string>();
      for (const [k, v] of readParametersFile(m[2]!)) map.set(k, v);
      perStack.set(m[1]!, map);
    } else if (m && !isFile(value)) {
      throw new UsageError(`--parameters ${value}: no stack named ${m[1]} (and no file of that name)`);
    } else for (const [k, v] of readParametersFile(value)) global.set(k, v);
  }
  return { global, perStack };
}

/** Splits the paths among the inputs; a path no input reads is a usage error. */
export function planInputs(paths: readonly string[], context: PlanContext): PlannedSet[] {
  const byInput = new Map<PlanInput, string[]>();
  for (const path of paths) {
    const input = INPUTS.find((i) => i.accepts(path));
    if (!input) throw new UsageError(`${path}: no such file, and not a CDK cloud assembly directory`);
    byInput.set(input, [...(byInput.get(input) ?? []), path]);
  }
  return [...byInput].flatMap(([input, list]) => input.plan(list, context));
}
