// The rule language's shared types: what a compiled condition is, what it looks at (a frame),
// what it reports (failures), and what it records while compiling (the fields it reads, the
// resources it looks up). Operators, the compile context, paths and the region index all use
// these, so they live apart from each of them (no import cycles).
import type { ResourceObject } from "../../resources/catalog.js";
import type { CollectionError } from "../../snapshot/types.js";

/**
 * A compiled condition. `holds` is the fast path run for every resource; `explain` runs only
 * when it does not hold and says why, with evidence.
 */
export interface Condition {
  holds: (value: unknown, frame: Frame) => boolean;
  /** Only called when holds() is false. */
  explain: (value: unknown, frame: Frame) => Failure[];
  /** Positive description, used when negated and in the reasons of enclosing conditions. */
  describe: string;
}

/** What a value operator tests: the value at `path`, a `config` value, or the value being looked at. */
export interface Subject {
  /** How failures name it: the path, "config vpcIds", or "value". */
  label: string;
  get: (value: unknown, frame: Frame) => unknown;
}

/** Why a condition does not hold: a sentence and the values that show it. */
export interface Failure {
  reason: string;
  evidence: Record<string, unknown>;
}

/** The resource a condition is looking at, and the region it is in. */
export interface Frame {
  resource: ResourceObject;
  type: string;
  id: string;
  index: RegionView;
}

/** What conditions may ask about the region being evaluated (implemented by RegionIndex). */
export interface RegionView {
  readonly accountId: string;
  readonly region: string;
  /** Values of the runtime placeholders {accountId} and {region}. */
  readonly vars: { accountId: string; region: string };
  /** Parsed JSON strings of the resource being evaluated, shared by all its rules. */
  readonly parsed: Map<string, { value?: unknown; error?: string }>;
  /** A resource (or child resource, e.g. a model package) by natural id. */
  lookup(type: string, id: string): ResourceObject | undefined;
  /** Resources of `type` whose `field` equals `value` (e.g. security groups by VpcId). */
  related(type: string, field: string, value: unknown): readonly ResourceObject[];
  /** Every string value of a field named in the spec, at any depth, in resources of its types. */
  referenceSet(spec: ReferenceSpec): ReadonlySet<string>;
  /** Errors recorded against one resource. */
  errorsFor(type: string, id: string): readonly CollectionError[];
  /** The first failed call recorded for `type` in the region; undefined when it was read completely. */
  firstError(type: string): CollectionError | undefined;
  /** The failed call that may explain why `type` `id` is missing; undefined when that type was read completely. */
  missingBecause(type: string, id: string): CollectionError | undefined;
  arnOf(type: string, resource: ResourceObject): string;
}

/** Fields read per resource type: the engine maps them to the AWS calls they come from. */
export type Needs = Map<string, Set<string>>;

/** "Is this value used by a field named … of resources of these types" (referencedBy). */
export interface ReferenceSpec {
  key: string;
  types: readonly string[];
  fields: readonly string[];
}

/**
 * What a rule reads from resources other than the one it evaluates: the fields of each
 * looked-up type (so only those are kept in memory) and the reference sets it consults.
 */
export interface Lookups {
  fields: Map<string, Set<string>>;
  references: Map<string, ReferenceSpec>;
}

export function emptyLookups(): Lookups {
  return { fields: new Map(), references: new Map() };
}

export function addNeed(needs: Needs, type: string, field: string): void {
  let set = needs.get(type);
  if (!set) needs.set(type, (set = new Set()));
  set.add(field);
}

/**
 * Thrown inside a condition when the data it needs was not collected: the result becomes
 * `error`, with the failed call as its cause and `reason` as its explanation.
 */
export class IncompleteData extends Error {
  constructor(
    readonly reason: string,
    readonly failed: CollectionError,
  ) {
    super(reason);
  }
}
