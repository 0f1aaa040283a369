// A value that is not known until deploy time (cfn-guard's "unresolved"): a template parameter
// with no value, an `Fn::ImportValue`, an attribute known only after deploy, a Terraform value
// "known after apply". It stands in the resource object where the value would be, so translated
// resources keep the SDK's shape, and it is plain JSON so it survives worker threads and files.
// A check that depends on it reports `unresolved` naming the cause; one whose outcome does not
// depend on it still passes or fails. The cause is fields, never a sentence to parse.
export const UNRESOLVED_KEY = "$unresolved";

export type UnresolvedKind =
  /** A template or pipeline parameter without a value or default. */
  | "parameter"
  /** `Fn::ImportValue` of another stack's export. */
  | "import"
  /** An attribute only known after deploy (`Fn::GetAtt` of a generated value). */
  | "attribute"
  /** A resource referenced by id that neither the plan nor the live snapshot holds. */
  | "resource"
  /** A Terraform value "known after apply" (`after_unknown`). */
  | "computed"
  /** An expression sagegate cannot evaluate statically. */
  | "expression";

export interface UnresolvedCause {
  kind: UnresolvedKind;
  /** What it is: the parameter name, the export name, `Resource.Attribute`, the attribute path. */
  name: string;
  /** What the user can do about it ("pass --parameters", "pass --live"). */
  hint?: string;
}

export interface Unresolved {
  readonly [UNRESOLVED_KEY]: UnresolvedCause;
}

export function unresolved(kind: UnresolvedKind, name: string, hint?: string): Unresolved {
  const cause: UnresolvedCause = hint === undefined ? { kind, name } : { kind, name, hint };
  return { [UNRESOLVED_KEY]: cause };
}

export function isUnresolved(value: unknown): value is Unresolved {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, UNRESOLVED_KEY);
}

/** Whether a JSON pointer (a schema error's instancePath) goes through, or to, an Unresolved value of `root`. */
export function insideUnresolved(root: unknown, pointer: string): boolean {
  let v = root;
  if (isUnresolved(v)) return true;
  for (const raw of pointer.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (seg === UNRESOLVED_KEY) return true;
    if (typeof v !== "object" || v === null) return false;
    v = (v as Record<string, unknown>)[seg];
    if (isUnresolved(v)) return true;
  }
  return false;
}
