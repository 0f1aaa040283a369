// Terraform addresses and references as the plan JSON writes them: `module.ml[0].aws_vpc.main`,
// `aws_subnet.private["a"]`, `var.vpc_id`, `module.network.subnet_ids`, `aws_vpc.main.id`. A
// traversal is split into names and index keys; callers compare them, never the raw text.

/** One step of a traversal: an attribute or block name, or an index key (`[0]`, `["a"]`). */
export type Step = { name: string } | { index: number | string };

/** The steps of a traversal, or undefined when it is not one (a malformed address). */
export function traversal(text: string): Step[] | undefined {
  const steps: Step[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ".") {
      if (steps.length === 0) return undefined;
      i++;
    }
    if (text[i] === "[") {
      const close = indexClose(text, i);
      if (close < 0) return undefined;
      const inner = text.slice(i + 1, close);
      if (/^\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (inner.startsWith('"') && inner.endsWith('"') && inner.length >= 2) {
        try {
          steps.push({ index: JSON.parse(inner) as string });
        } catch {
          return undefined;
        }
      } else return undefined; // `[*]` or an expression: not a static traversal
      i = close + 1;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i));
    if (!m) return undefined;
    steps.push({ name: m[0] });
    i += m[0].length;
  }
  return steps;
}

function indexClose(text: string, open: number): number {
  let inString = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "]") return i;
  }
  return -1;
}

export function isName(s: Step | undefined): s is { name: string } {
  return s !== undefined && "name" in s;
}

export function isIndex(s: Step | undefined): s is { index: number | string } {
  return s !== undefined && "index" in s;
}

export function indexText(index: number | string): string {
  return typeof index === "number" ? `[${index}]` : `[${JSON.stringify(index)}]`;
}

/** A module instance path: `module.a[0].module.b` → [{name: "a", index: 0}, {name: "b"}]. */
export interface ModuleStep {
  name: string;
  index?: number | string;
}

export function moduleSteps(moduleAddress: string): ModuleStep[] | undefined {
  if (moduleAddress === "") return [];
  const steps = traversal(moduleAddress);
  if (!steps) return undefined;
  const out: ModuleStep[] = [];
  for (let i = 0; i < steps.length;) {
    const kw = steps[i];
    const name = steps[i + 1];
    if (!isName(kw) || kw.name !== "module" || !isName(name)) return undefined;
    const next = steps[i + 2];
    if (isIndex(next)) {
      out.push({ name: name.name, index: next.index });
      i += 3;
    } else {
      out.push({ name: name.name });
      i += 2;
    }
  }
  return out;
}

export function moduleAddressOf(steps: readonly ModuleStep[]): string {
  return steps.map((s) => `module.${s.name}${s.index === undefined ? "" : indexText(s.index)}`).join(".");
}

/** `prefix.type.name[index]`, as Terraform writes instance addresses. */
export function instanceAddress(moduleAddress: string, type: string, name: string, index?: number | string): string {
  return `${moduleAddress ? moduleAddress + "." : ""}${type}.${name}${index === undefined ? "" : indexText(index)}`;
}

/** What a reference names: the root of its traversal and the rest of it. */
export type Reference =
  | { kind: "resource"; type: string; name: string; index?: number | string; rest: Step[] }
  | { kind: "data"; type: string; name: string; rest: Step[] }
  | { kind: "var"; name: string; rest: Step[] }
  | { kind: "module"; name: string; index?: number | string; rest: Step[] }
  | { kind: "local"; name: string }
  | { kind: "count" }
  | { kind: "each" }
  | { kind: "other"; text: string };

export function parseReference(text: string): Reference {
  const steps = traversal(text);
  const [first, second] = steps ?? [];
  if (!steps || !isName(first)) return { kind: "other", text };
  switch (first.name) {
    case "var":
      return isName(second) ? { kind: "var", name: second.name, rest: steps.slice(2) } : { kind: "other", text };
    case "local":
      return isName(second) ? { kind: "local", name: second.name } : { kind: "other", text };
    case "count":
      return { kind: "count" };
    case "each":
      return { kind: "each" };
    case "module": {
      if (!isName(second)) return { kind: "other", text };
      const third = steps[2];
      if (isIndex(third)) return { kind: "module", name: second.name, index: third.index, rest: steps.slice(3) };
      return { kind: "module", name: second.name, rest: steps.slice(2) };
    }
    case "data": {
      const name = steps[2];
      return isName(second) && isName(name) ? { kind: "data", type: second.name, name: name.name, rest: steps.slice(3) } : { kind: "other", text };
    }
    case "path":
    case "terraform":
    case "self":
      return { kind: "other", text };
  }
  if (!isName(second)) return { kind: "other", text };
  const third = steps[2];
  if (isIndex(third)) return { kind: "resource", type: first.name, name: second.name, index: third.index, rest: steps.slice(3) };
  return { kind: "resource", type: first.name, name: second.name, rest: steps.slice(2) };
}

/**
 * The references of an expression that are not implied by a longer one: Terraform lists
 * `aws_vpc.main.id`, `aws_vpc.main` for one use of the VPC's id.
 */
export function maximalReferences(references: readonly string[]): string[] {
  const out: string[] = [];
  for (const r of references) {
    if (out.includes(r)) continue;
    if (references.some((o) => o !== r && (o.startsWith(r + ".") || o.startsWith(r + "[")))) continue;
    out.push(r);
  }
  return out;
}
