// CDK cloud assemblies (`cdk.out`): manifest.json's `aws:cloudformation:stack` artifacts, nested
// assemblies of stages (`cdk:cloud-assembly`), each stack's template file, its environment
// (`aws://ACCOUNT/REGION`, `unknown-account` / `unknown-region` for environment-agnostic stacks)
// and the construct path of each logical id (`aws:cdk:logicalId` metadata, in the manifest or in
// the stack's `additionalMetadataFile`). Every file is read through the hardened path.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { TemplateError } from "../errors.js";
import { readBytes, MAX_DOCUMENT_BYTES } from "../io/files.js";
import { parseJsonBytes } from "../io/json.js";
import { isRecord } from "./cfn/resolve.js";

/** Nested assemblies deeper than this are refused (stages in stages are rare beyond 2). */
const MAX_NESTING = 8;
/** Metadata files hold stack traces of every construct: allow more than a hand-written file. */
const MAX_METADATA_BYTES = 64 * 1024 * 1024;

export interface AssemblyStack {
  /** Artifact id (e.g. `Ml`, or `ProdMl` in a stage). */
  artifactId: string;
  /** CloudFormation stack name. */
  stackName: string;
  /** Hierarchical name shown by the CDK CLI (`Prod/Ml`). */
  displayName: string;
  /** Path of the template file. */
  templateFile: string;
  accountId?: string;
  region?: string;
  /** Logical id → construct path. */
  cdkPaths: Map<string, string>;
}

export function isAssemblyDir(path: string): boolean {
  try {
    return statSync(path).isDirectory() && existsSync(join(path, "manifest.json"));
  } catch {
    return false;
  }
}

const makeError = (message: string, file: string, place?: { line?: number; column?: number; pointer?: string }) => new TemplateError(message, file, place);

function readJson(file: string, max = MAX_DOCUMENT_BYTES): unknown {
  return parseJsonBytes(readBytes(file, makeError, max), file, makeError);
}

/** The stack artifacts of an assembly directory, nested assemblies included, in manifest order. */
export function readAssembly(dir: string, depth = 0): AssemblyStack[] {
  const manifestFile = join(dir, "manifest.json");
  if (depth > MAX_NESTING) throw new TemplateError(`nested cloud assemblies deeper than ${MAX_NESTING} levels`, manifestFile);
  const manifest = readJson(manifestFile);
  if (!isRecord(manifest) || !isRecord(manifest.artifacts))
    throw new TemplateError("not a CDK cloud assembly manifest: no artifacts", manifestFile, { pointer: "/artifacts" });
  const out: AssemblyStack[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts)) {
    if (!isRecord(artifact)) continue;
    const props = isRecord(artifact.properties) ? artifact.properties : {};
    if (artifact.type === "cdk:cloud-assembly") {
      const sub = props.directoryName;
      if (typeof sub !== "string" || sub.includes(".."))
        throw new TemplateError(`artifact ${id}: a nested assembly needs a directoryName inside the assembly`, manifestFile, { pointer: `/artifacts/${id}` });
      out.push(...readAssembly(join(dir, sub), depth + 1));
      continue;
    }
    if (artifact.type !== "aws:cloudformation:stack") continue;
    const templateFile = props.templateFile;
    if (typeof templateFile !== "string" || templateFile.includes(".."))
      throw new TemplateError(`artifact ${id}: properties.templateFile must name a file of the assembly`, manifestFile, {
        pointer: `/artifacts/${id}/properties/templateFile`,
      });
    const stack: AssemblyStack = {
      artifactId: id,
      stackName: typeof props.stackName === "string" ? props.stackName : id,
      displayName: typeof artifact.displayName === "string" ? artifact.displayName : id,
      templateFile: join(dir, templateFile),
      cdkPaths: new Map(),
    };
    const env = typeof artifact.environment === "string" ? /^aws:\/\/([^/]*)\/(.*)$/.exec(artifact.environment) : null;
    if (env) {
      if (env[1] && env[1] !== "unknown-account") stack.accountId = env[1];
      if (env[2] && env[2] !== "unknown-region") stack.region = env[2];
    }
    addPaths(stack.cdkPaths, artifact.metadata);
    if (typeof artifact.additionalMetadataFile === "string" && !artifact.additionalMetadataFile.includes("..")) {
      const file = join(dir, artifact.additionalMetadataFile);
      if (existsSync(file)) addPaths(stack.cdkPaths, readJson(file, MAX_METADATA_BYTES));
    }
    out.push(stack);
  }
  return out;
}

function addPaths(into: Map<string, string>, metadata: unknown): void {
  if (!isRecord(metadata)) return;
  for (const [path, entries] of Object.entries(metadata)) {
    if (!Array.isArray(entries)) continue;
    for (const e of entries) if (isRecord(e) && e.type === "aws:cdk:logicalId" && typeof e.data === "string") into.set(e.data, path);
  }
}
