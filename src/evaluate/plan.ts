// The plan of a run, made once from the active rules: which rules apply to which type, what
// each looked-up type keeps in memory (projections), the reference sets to build, and which
// types must be complete before another type's rules run.
import { childType } from "../resources/catalog.js";
import type { ReferenceSpec } from "./language/types.js";
import type { Projection } from "./region.js";
import type { CompiledRule } from "./rule.js";

export interface Plan {
  rules: readonly CompiledRule[];
  rulesByType: Map<string, CompiledRule[]>;
  /** Rules about things that must exist (MR005): they run once per region, after every type. */
  existenceRules: CompiledRule[];
  /** Looked-up top-level types and the fields kept of them. */
  projections: Map<string, Projection>;
  references: ReferenceSpec[];
  /** Types whose lookups must be complete before a type's rules run. */
  dependsOn: Map<string, Set<string>>;
}

export function buildPlan(rules: readonly CompiledRule[]): Plan {
  const rulesByType = new Map<string, CompiledRule[]>();
  const existenceRules: CompiledRule[] = [];
  const fields = new Map<string, Set<string> | "all">();
  const childFields = new Map<string, { field: string; fields: Set<string> | "all" }>();
  const references = new Map<string, ReferenceSpec>();
  const dependsOn = new Map<string, Set<string>>();

  for (const rule of rules) {
    if (rule.def.subjects) existenceRules.push(rule);
    else for (const type of rule.types) push(rulesByType, type, rule);
    const needed = new Set<string>();
    for (const [type, read] of rule.lookups.fields) {
      const child = childType(type);
      const owner = child ? child.parent.type : type;
      needed.add(owner);
      if (child) {
        addFields(fields, owner, [child.parent.idField]);
        const current = childFields.get(owner);
        const merged = mergeFields(current?.fields, read);
        childFields.set(owner, { field: child.child.field, fields: merged });
      } else addFields(fields, owner, read);
    }
    for (const spec of rule.lookups.references.values()) {
      references.set(spec.key, spec);
      for (const t of spec.types) needed.add(t);
    }
    // Existence rules (MR005) run after every type is complete; they never hold up a type.
    if (!rule.def.subjects) for (const t of rule.types) for (const n of needed) addTo(dependsOn, t, n);
  }
  const projections = new Map<string, Projection>();
  for (const [type, f] of fields) {
    const children = childFields.get(type);
    projections.set(type, children ? { fields: f === "all" ? "all" : new Set([...f, children.field]), children } : { fields: f });
  }
  return { rules, rulesByType, existenceRules, projections, references: [...references.values()], dependsOn };
}

function addFields(map: Map<string, Set<string> | "all">, type: string, read: Iterable<string>): void {
  map.set(type, mergeFields(map.get(type), read));
}

/** A `$arn` read means the ARN field, whatever it is called: keep the whole object. */
function mergeFields(current: Set<string> | "all" | undefined, read: Iterable<string>): Set<string> | "all" {
  if (current === "all") return "all";
  const set = new Set(current ?? []);
  for (const f of read) {
    if (f === "$arn") return "all";
    if (!f.startsWith("$")) set.add(f);
  }
  return set;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}
