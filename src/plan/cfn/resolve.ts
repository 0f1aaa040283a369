// CloudFormation's intrinsic functions, evaluated statically. What can be known before deploy is
// computed (parameters and their defaults, pseudo parameters, Conditions, Mappings, Sub, Join,
// Select, Split, If, Equals/And/Or/Not, resources' planned ids and the attributes that equal a
// declared property); what cannot becomes an Unresolved value with its cause, in the place the
// value would be. A template CloudFormation itself would reject (a Ref to nothing, a mapping key
// that does not exist, a circular reference) is a TemplateError naming the file and line.
import { TemplateError } from "../../errors.js";
import { isUnresolved, unresolved, type Unresolved } from "../../resources/unresolved.js";
import type { ParsedTemplate } from "./parse.js";

/** `Ref: AWS::NoValue`: the property (or list item) is removed. */
export const NO_VALUE: unique symbol = Symbol("AWS::NoValue");

export type Path = ReadonlyArray<string | number>;

/** Where a stack is deployed; values may be symbolic tokens (see SYMBOLIC). */
export interface StackEnvironment {
  accountId: string;
  region: string;
  partition: string;
  urlSuffix: string;
  stackName: string;
}

/**
 * Pseudo parameters no flag, assembly or live snapshot gave stay symbolic: the token stands for
 * the value and equals only itself, so `aws:SourceAccount: !Ref AWS::AccountId` is the planned
 * region's own account (whose account id is the same token) and `arn:${AWS::Partition}:…` is a
 * definite string that is not "*". Comparing a token with a literal (`!Equals [!Ref AWS::Region,
 * us-east-1]`) is unresolved.
 */
export const SYMBOLIC = {
  accountId: "${AWS::AccountId}",
  region: "${AWS::Region}",
  partition: "${AWS::Partition}",
  urlSuffix: "${AWS::URLSuffix}",
} as const;

const PSEUDO_HINT: Record<string, string> = {
  [SYMBOLIC.accountId]: "pass --account (or give the CDK stack an environment)",
  [SYMBOLIC.region]: "pass --region (or give the CDK stack an environment)",
  [SYMBOLIC.partition]: "pass --region (the partition follows from it)",
  [SYMBOLIC.urlSuffix]: "pass --region (the URL suffix follows from it)",
};
const PSEUDO_NAME: Record<string, string> = {
  [SYMBOLIC.accountId]: "AWS::AccountId",
  [SYMBOLIC.region]: "AWS::Region",
  [SYMBOLIC.partition]: "AWS::Partition",
  [SYMBOLIC.urlSuffix]: "AWS::URLSuffix",
};

/** The cause when a symbolic token decides a comparison or a lookup. */
export function symbolicCause(value: unknown): Unresolved | undefined {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
  for (const token of Object.keys(PSEUDO_NAME)) if (text.includes(token)) return unresolved("parameter", PSEUDO_NAME[token]!, PSEUDO_HINT[token]);
  return undefined;
}

export interface ParameterDecl {
  name: string;
  type: string;
  default?: unknown;
  allowedValues?: unknown[];
}

/** What the resolver asks the stack about resources. */
export interface ResourceHooks {
  has(logicalId: string): boolean;
  /** `Ref` of a resource: its planned id (or what Ref returns for the type). */
  ref(logicalId: string, path: Path): unknown;
  getAtt(logicalId: string, attribute: string, path: Path): unknown;
  /** `Fn::ImportValue`: an export of another planned stack or a value given in a parameters file. */
  importValue(name: string): unknown;
}

type Truth = boolean | Unresolved;

export class Resolver {
  private readonly parameterValues = new Map<string, unknown>();
  private readonly conditionValues = new Map<string, Truth>();
  private readonly evaluatingConditions = new Set<string>();

  constructor(
    readonly template: ParsedTemplate,
    readonly env: StackEnvironment,
    readonly parameters: ReadonlyMap<string, ParameterDecl>,
    /** Values given with --parameters, by name. */
    readonly given: ReadonlyMap<string, string>,
    readonly hooks: ResourceHooks,
  ) {}

  error(message: string, path: Path): TemplateError {
    return new TemplateError(message, this.template.file, this.template.locate(path));
  }

  /** Resolves every intrinsic in `value` (found at `path` of the template). */
  resolve(value: unknown, path: Path): unknown {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      value.forEach((item, i) => {
        const r = this.resolve(item, [...path, i]);
        if (r !== NO_VALUE) out.push(r);
      });
      return out;
    }
    if (typeof value !== "object" || value === null) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && isIntrinsic(keys[0]!)) return this.intrinsic(keys[0]!, (value as Record<string, unknown>)[keys[0]!], [...path, keys[0]!]);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const r = this.resolve((value as Record<string, unknown>)[k], [...path, k]);
      if (r !== NO_VALUE) Object.defineProperty(out, k, { value: r, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  private intrinsic(name: string, arg: unknown, path: Path): unknown {
    switch (name) {
      case "Ref":
        return this.ref(arg, path);
      case "Fn::GetAtt":
        return this.getAtt(arg, path);
      case "Fn::Sub":
        return this.sub(arg, path);
      case "Fn::Join":
        return this.join(arg, path);
      case "Fn::Select":
        return this.select(arg, path);
      case "Fn::Split":
        return this.split(arg, path);
      case "Fn::If":
        return this.ifThen(arg, path);
      case "Fn::FindInMap":
        return this.findInMap(arg, path);
      case "Fn::ImportValue": {
        const exportName = this.resolve(arg, path);
        if (isUnresolved(exportName)) return exportName;
        if (typeof exportName !== "string") throw this.error("Fn::ImportValue takes the name of an export", path);
        return this.hooks.importValue(exportName);
      }
      case "Fn::GetAZs":
        return unresolved("attribute", "Fn::GetAZs", "the account's availability zones are known only at deploy");
      case "Fn::Base64": {
        const v = this.resolve(arg, path);
        if (isUnresolved(v)) return v;
        if (typeof v !== "string") throw this.error("Fn::Base64 takes a string", path);
        return Buffer.from(v, "utf8").toString("base64");
      }
      case "Fn::Cidr":
        return this.cidr(arg, path);
      case "Fn::ToJsonString": {
        const v = this.resolve(arg, path);
        return firstUnresolved(v) ?? JSON.stringify(v);
      }
      case "Fn::Length": {
        const v = this.resolve(arg, path);
        if (isUnresolved(v)) return v;
        if (!Array.isArray(v)) throw this.error("Fn::Length takes a list", path);
        return v.length;
      }
      case "Fn::Equals":
      case "Fn::And":
      case "Fn::Or":
      case "Fn::Not":
      case "Condition":
        return this.truth(name, arg, path);
      default:
        // Fn::Transform, Fn::ForEach and other functions evaluated by a transform at deploy time.
        return unresolved("expression", name, "evaluated by CloudFormation at deploy; sagegate cannot evaluate it statically");
    }
  }

  // ------------------------------------------------------------------ Ref, GetAtt, parameters

  private ref(arg: unknown, path: Path): unknown {
    if (typeof arg !== "string") throw this.error("Ref takes the name of a parameter, a resource or a pseudo parameter", path);
    switch (arg) {
      case "AWS::NoValue":
        return NO_VALUE;
      case "AWS::AccountId":
        return this.env.accountId;
      case "AWS::Region":
        return this.env.region;
      case "AWS::Partition":
        return this.env.partition;
      case "AWS::URLSuffix":
        return this.env.urlSuffix;
      case "AWS::StackName":
        return this.env.stackName;
      case "AWS::StackId":
        return `arn:${this.env.partition}:cloudformation:${this.env.region}:${this.env.accountId}:stack/${this.env.stackName}/*`;
      case "AWS::NotificationARNs":
        return [];
    }
    if (this.parameters.has(arg)) return this.parameter(arg);
    if (this.hooks.has(arg)) return this.hooks.ref(arg, path);
    throw this.error(`Ref to "${arg}", which is neither a parameter nor a resource of the template`, path);
  }

  private getAtt(arg: unknown, path: Path): unknown {
    if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== "string") throw this.error("Fn::GetAtt takes [LogicalId, Attribute]", path);
    const attribute = this.resolve(arg[1], [...path, 1]);
    if (isUnresolved(attribute)) return attribute;
    if (typeof attribute !== "string") throw this.error("Fn::GetAtt: the attribute name must be a string", [...path, 1]);
    if (!this.hooks.has(arg[0])) throw this.error(`Fn::GetAtt of "${arg[0]}", which is not a resource of the template`, path);
    return this.hooks.getAtt(arg[0], attribute, path);
  }

  parameter(name: string): unknown {
    if (this.parameterValues.has(name)) return this.parameterValues.get(name);
    const decl = this.parameters.get(name)!;
    const value = this.parameterValue(decl);
    this.parameterValues.set(name, value);
    return value;
  }

  private parameterValue(decl: ParameterDecl): unknown {
    if (decl.type.startsWith("AWS::SSM::Parameter::Value<")) return unresolved("parameter", decl.name, "its value is read from SSM Parameter Store at deploy");
    const given = this.given.get(decl.name);
    const raw = given ?? (decl.default === undefined || decl.default === null ? undefined : scalarText(decl.default));
    if (raw === undefined) return unresolved("parameter", decl.name, "no value and no default: pass --parameters");
    const isList = decl.type.startsWith("List<") || decl.type === "CommaDelimitedList";
    const values = isList ? raw.split(",").map((s) => (decl.type === "CommaDelimitedList" ? s : s.trim())) : [raw];
    if (decl.allowedValues) {
      const allowed = decl.allowedValues.map(scalarText);
      const bad = values.find((v) => !allowed.includes(v));
      if (bad !== undefined)
        throw this.error(`parameter ${decl.name}: "${bad}" is not one of its AllowedValues (${allowed.join(", ")})`, [
          "Parameters",
          decl.name,
          "AllowedValues",
        ]);
    }
    if (decl.type === "Number" && !/^-?\d+(\.\d+)?$/.test(raw.trim()))
      throw this.error(`parameter ${decl.name}: "${raw}" is not a number`, ["Parameters", decl.name]);
    return isList ? values : raw;
  }

  // ------------------------------------------------------------------ strings and lists

  /**
   * Text built with Fn::Join or Fn::Sub where some parts are not known before deploy (a pipeline
   * definition body naming a role's ARN): the known text with a marker (holeMarker) where each
   * unknown part goes, and those parts in order. A whole value that is not text is returned as is.
   */
  resolveWithHoles(value: unknown, path: Path): unknown {
    const holes: Unresolved[] = [];
    let text: unknown;
    if (isRecord(value) && Object.keys(value).length === 1 && "Fn::Join" in value) text = this.join(value["Fn::Join"], [...path, "Fn::Join"], holes);
    else if (isRecord(value) && Object.keys(value).length === 1 && "Fn::Sub" in value) text = this.sub(value["Fn::Sub"], [...path, "Fn::Sub"], holes);
    else text = this.resolve(value, path);
    return typeof text === "string" ? { text, holes } : text;
  }

  private hole(value: Unresolved, holes: Unresolved[] | undefined): string | Unresolved {
    if (!holes) return value;
    holes.push(value);
    return holeMarker(holes.length - 1);
  }

  private sub(arg: unknown, path: Path, holes?: Unresolved[]): unknown {
    let text: unknown = arg;
    let vars: Record<string, unknown> = {};
    if (Array.isArray(arg)) {
      if (arg.length !== 2 || typeof arg[1] !== "object" || arg[1] === null || Array.isArray(arg[1]))
        throw this.error("Fn::Sub takes a string or [string, {variables}]", path);
      text = arg[0];
      vars = arg[1] as Record<string, unknown>;
    }
    if (typeof text !== "string") throw this.error("Fn::Sub takes a string", path);
    let out = "";
    let i = 0;
    while (i < text.length) {
      const open = text.indexOf("${", i);
      if (open < 0) {
        out += text.slice(i);
        break;
      }
      out += text.slice(i, open);
      const close = text.indexOf("}", open);
      if (close < 0) throw this.error(`Fn::Sub: "\${" without a closing "}" in "${text}"`, path);
      const name = text.slice(open + 2, close).trim();
      i = close + 1;
      if (name.startsWith("!")) {
        out += "${" + name.slice(1) + "}"; // ${!Literal} is written as ${Literal}
        continue;
      }
      let value: unknown;
      if (Object.prototype.hasOwnProperty.call(vars, name)) value = this.resolve(vars[name], [...path, 1, name]);
      else if (name.includes(".") && !name.startsWith("AWS::")) {
        const dot = name.indexOf(".");
        value = this.getAtt([name.slice(0, dot), name.slice(dot + 1)], path);
      } else value = this.ref(name, path);
      if (isUnresolved(value)) value = this.hole(value, holes);
      if (isUnresolved(value)) return value;
      if (value === NO_VALUE) continue;
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
        throw this.error(`Fn::Sub: \${${name}} is ${Array.isArray(value) ? "a list" : "not a string"}`, path);
      out += String(value);
    }
    return out;
  }

  private join(arg: unknown, path: Path, holes?: Unresolved[]): unknown {
    if (!Array.isArray(arg) || arg.length !== 2) throw this.error("Fn::Join takes [delimiter, [values]]", path);
    const delimiter = this.resolve(arg[0], [...path, 0]);
    if (isUnresolved(delimiter)) return delimiter;
    if (typeof delimiter !== "string") throw this.error("Fn::Join: the delimiter must be a string", [...path, 0]);
    const list: unknown =
      holes && Array.isArray(arg[1])
        ? (arg[1] as unknown[]).map((item, i) => {
            const r = this.resolveWithHoles(item, [...path, 1, i]);
            if (isRecord(r) && typeof r.text === "string" && Array.isArray(r.holes)) {
              const offset = holes.length;
              holes.push(...(r.holes as Unresolved[]));
              return renumberHoles(r.text, offset);
            }
            return r;
          })
        : this.resolve(arg[1], [...path, 1]);
    if (Array.isArray(list)) for (let i = list.length - 1; i >= 0; i--) if (list[i] === NO_VALUE) list.splice(i, 1);
    if (isUnresolved(list)) return list;
    if (!Array.isArray(list)) throw this.error("Fn::Join takes a list of values", [...path, 1]);
    const parts: string[] = [];
    for (const raw of list as unknown[]) {
      const item = isUnresolved(raw) ? this.hole(raw, holes) : raw;
      if (isUnresolved(item)) return item;
      if (typeof item !== "string" && typeof item !== "number" && typeof item !== "boolean")
        throw this.error("Fn::Join: every value must be a string", [...path, 1]);
      parts.push(String(item));
    }
    return parts.join(delimiter);
  }

  private select(arg: unknown, path: Path): unknown {
    if (!Array.isArray(arg) || arg.length !== 2) throw this.error("Fn::Select takes [index, [values]]", path);
    const index = this.resolve(arg[0], [...path, 0]);
    if (isUnresolved(index)) return index;
    const n = typeof index === "number" ? index : typeof index === "string" && /^\d+$/.test(index) ? Number(index) : NaN;
    if (!Number.isInteger(n) || n < 0) throw this.error("Fn::Select: the index must be a non-negative integer", [...path, 0]);
    const list = this.resolve(arg[1], [...path, 1]);
    if (isUnresolved(list)) return list;
    if (!Array.isArray(list)) throw this.error("Fn::Select takes a list of values", [...path, 1]);
    if (n >= list.length) throw this.error(`Fn::Select: index ${n} is beyond the ${list.length} values`, [...path, 0]);
    return list[n];
  }

  private split(arg: unknown, path: Path): unknown {
    if (!Array.isArray(arg) || arg.length !== 2) throw this.error("Fn::Split takes [delimiter, string]", path);
    const delimiter = this.resolve(arg[0], [...path, 0]);
    const source = this.resolve(arg[1], [...path, 1]);
    if (isUnresolved(delimiter)) return delimiter;
    if (isUnresolved(source)) return source;
    if (typeof delimiter !== "string" || delimiter === "" || typeof source !== "string") throw this.error("Fn::Split takes a delimiter and a string", path);
    return source.split(delimiter);
  }

  private findInMap(arg: unknown, path: Path): unknown {
    if (!Array.isArray(arg) || arg.length < 3 || arg.length > 4) throw this.error("Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]", path);
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) {
      const k = this.resolve(arg[i], [...path, i]);
      if (isUnresolved(k)) return k;
      if (typeof k !== "string" && typeof k !== "number") throw this.error("Fn::FindInMap: keys must be strings", [...path, i]);
      keys.push(String(k));
    }
    const mappings = this.template.value.Mappings;
    const map = isRecord(mappings) ? mappings[keys[0]!] : undefined;
    if (!isRecord(map)) throw this.error(`Fn::FindInMap: no mapping named "${keys[0]}"`, path);
    const top = Object.prototype.hasOwnProperty.call(map, keys[1]!) ? map[keys[1]!] : undefined;
    const found = isRecord(top) && Object.prototype.hasOwnProperty.call(top, keys[2]!) ? top[keys[2]!] : undefined;
    if (found !== undefined) return this.resolve(found, ["Mappings", keys[0]!, keys[1]!, keys[2]!]);
    const fallback: unknown = arg[3];
    if (isRecord(fallback) && "DefaultValue" in fallback) return this.resolve(fallback.DefaultValue, [...path, 3, "DefaultValue"]);
    // A symbolic region or account cannot be looked up: unknown, not wrong.
    const symbolic = symbolicCause(keys[1]) ?? symbolicCause(keys[2]);
    if (symbolic) return symbolic;
    throw this.error(`Fn::FindInMap: mapping "${keys[0]}" has no ${isRecord(top) ? `key "${keys[2]}" under "${keys[1]}"` : `key "${keys[1]}"`}`, path);
  }

  private cidr(arg: unknown, path: Path): unknown {
    if (!Array.isArray(arg) || arg.length !== 3) throw this.error("Fn::Cidr takes [ipBlock, count, cidrBits]", path);
    const [block, count, bits] = arg.map((a, i) => this.resolve(a, [...path, i]));
    for (const v of [block, count, bits]) if (isUnresolved(v)) return v;
    const m = typeof block === "string" ? /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(block) : null;
    if (!m) return unresolved("expression", "Fn::Cidr", "only IPv4 blocks are computed");
    const base = m.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
    const n = Number(count);
    const size = Number(bits);
    const prefix = 32 - size;
    if (!Number.isInteger(n) || !Number.isInteger(size) || n < 1 || n > 256 || size < 0 || prefix < Number(m[5]))
      throw this.error("Fn::Cidr: invalid count or cidrBits", path);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const addr = base + i * 2 ** size;
      out.push(`${[24, 16, 8, 0].map((s) => Math.floor(addr / 2 ** s) % 256).join(".")}/${prefix}`);
    }
    return out;
  }

  private ifThen(arg: unknown, path: Path): unknown {
    if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== "string")
      throw this.error("Fn::If takes [ConditionName, valueIfTrue, valueIfFalse]", path);
    const truth = this.condition(arg[0], [...path, 0]);
    if (truth === true) return this.resolve(arg[1], [...path, 1]);
    if (truth === false) return this.resolve(arg[2], [...path, 2]);
    // Unknown condition: the same value either way is known; otherwise the condition's cause.
    const a = this.resolve(arg[1], [...path, 1]);
    const b = this.resolve(arg[2], [...path, 2]);
    return sameValue(a, b) ? a : truth;
  }

  // ------------------------------------------------------------------ conditions

  /** A named condition of the template: true, false, or unresolved. */
  condition(name: string, path: Path): Truth {
    const known = this.conditionValues.get(name);
    if (known !== undefined) return known;
    const conditions = this.template.value.Conditions;
    if (!isRecord(conditions) || !Object.prototype.hasOwnProperty.call(conditions, name)) throw this.error(`no condition named "${name}"`, path);
    if (this.evaluatingConditions.has(name)) throw this.error(`condition "${name}" depends on itself`, ["Conditions", name]);
    this.evaluatingConditions.add(name);
    const value = this.truthOf(conditions[name], ["Conditions", name]);
    this.evaluatingConditions.delete(name);
    this.conditionValues.set(name, value);
    return value;
  }

  private truthOf(value: unknown, path: Path): Truth {
    if (isRecord(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && ["Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition"].includes(keys[0]!))
        return this.truth(keys[0]!, value[keys[0]!], [...path, keys[0]!]);
    }
    const v = this.resolve(value, path);
    if (isUnresolved(v)) return v;
    if (v === true || v === "true") return true;
    if (v === false || v === "false") return false;
    throw this.error("a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or a Condition", path);
  }

  private truth(name: string, arg: unknown, path: Path): Truth {
    switch (name) {
      case "Condition":
        if (typeof arg !== "string") throw this.error("Condition takes a condition name", path);
        return this.condition(arg, path);
      case "Fn::Equals": {
        if (!Array.isArray(arg) || arg.length !== 2) throw this.error("Fn::Equals takes [value, value]", path);
        const a = this.resolve(arg[0], [...path, 0]);
        const b = this.resolve(arg[1], [...path, 1]);
        if (isUnresolved(a)) return a;
        if (isUnresolved(b)) return b;
        if (sameValue(a, b) || (isScalar(a) && isScalar(b) && String(a) === String(b))) return true;
        return symbolicCause(a) ?? symbolicCause(b) ?? false;
      }
      case "Fn::Not": {
        if (!Array.isArray(arg) || arg.length !== 1) throw this.error("Fn::Not takes [condition]", path);
        const v = this.truthOf(arg[0], [...path, 0]);
        return typeof v === "boolean" ? !v : v;
      }
      default: {
        if (!Array.isArray(arg) || arg.length < 2) throw this.error(`${name} takes a list of conditions`, path);
        const values = arg.map((c, i) => this.truthOf(c, [...path, i]));
        const decisive = name === "Fn::And" ? false : true;
        if (values.includes(decisive)) return decisive;
        return values.find(isUnresolved) ?? !decisive;
      }
    }
  }
}

/** Where the n-th unknown part of a text with holes goes. */
export function holeMarker(n: number): string {
  return `__sagegate_unresolved_${n}__`;
}

export const HOLE_PATTERN = /__sagegate_unresolved_(\d+)__/;

function renumberHoles(text: string, offset: number): string {
  return offset === 0 ? text : text.replace(/__sagegate_unresolved_(\d+)__/g, (_m, n: string) => holeMarker(Number(n) + offset));
}

const INTRINSICS = new Set(["Ref", "Condition"]);

export function isIntrinsic(key: string): boolean {
  return INTRINSICS.has(key) || key.startsWith("Fn::");
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

function scalarText(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(v);
}

/** The first Unresolved value inside `v`, depth first (deterministic). */
export function firstUnresolved(v: unknown): Unresolved | undefined {
  if (isUnresolved(v)) return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = firstUnresolved(x);
      if (u) return u;
    }
    return undefined;
  }
  if (isRecord(v)) {
    for (const k of Object.keys(v)) {
      const u = firstUnresolved(v[k]);
      if (u) return u;
    }
  }
  return undefined;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === NO_VALUE || b === NO_VALUE) return false;
  return JSON.stringify(a) === JSON.stringify(b) && !isUnresolved(a) && !isUnresolved(b);
}
