// The rule language's shared types: what a compiled condition is, what it looks at (a frame),
// what it reports (failures), and what it records while compiling (the fields it reads, the
// resources it looks up). Operators, the compile context, paths and the region index all use
// these, so they live apart from each of them (no import cycles).
import { say, type Text, type Words } from "../../i18n/index.js";
import type { ResourceObject } from "../../resources/catalog.js";
import type { UnresolvedCause } from "../../resources/unresolved.js";
import type { CollectionError } from "../../snapshot/types.js";
import type { Truth } from "./truth.js";

/**
 * A compiled condition. `holds` is the fast path run for every resource; `explain` runs only
 * when it does not hold and says why, with evidence. `truth` is the three-valued `holds` (Kleene
 * logic, see truth.ts) run instead in regions that hold planned resources, whose values may be
 * `$unresolved`: true, false, or Unknown with the causes it depends on.
 */
export interface Condition {
  holds: (value: unknown, frame: Frame) => boolean;
  truth: (value: unknown, frame: Frame) => Truth;
  /**
   * Only called when the condition does not hold (holds() false; in an uncertain region, truth()
   * false). In an uncertain region it reports only the definite failures: a part whose outcome is
   * unknown neither fails nor passes.
   */
  explain: (value: unknown, frame: Frame) => Failure[];
  /** Positive description, used when negated and in the reasons of enclosing conditions. */
  describe: Words;
}

/** What a value operator tests: the value at `path`, a `config` value, or the value being looked at. */
export interface Subject {
  /** How evidence names it: the path, "config vpcIds", or "value" (the same in every language). */
  label: string;
  /** How reasons name it, in the reader's language. */
  name: Text;
  get: (value: unknown, frame: Frame) => unknown;
}

/**
 * Why a condition does not hold: a sentence and the values that show it. The evidence is the same
 * in every language (its reason is written in English); `words` gives the reader's-language
 * rendering of evidence values that are words ("all traffic"), for the rule's message template.
 */
export interface Failure {
  reason: Words;
  evidence: Record<string, unknown>;
  words?: Readonly<Record<string, Text>>;
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
  /**
   * The region holds planned resources (sagegate plan), whose values may be `$unresolved`:
   * conditions are decided with `truth`, three-valued. False for live snapshots.
   */
  readonly uncertain: boolean;
  /** Values of the runtime placeholders {accountId}, {region} and {partition}. */
  readonly vars: { accountId: string; region: string; partition: string };
  /** Parsed JSON strings of the resource being evaluated, shared by all its rules. */
  readonly parsed: Map<string, { value?: unknown; error?: string; why?: Text }>;
  /** A resource (or child resource, e.g. a model package) by natural id. */
  lookup(type: string, id: string): ResourceObject | undefined;
  /** Resources of `type` whose `field` equals `value` (e.g. security groups by VpcId). */
  related(type: string, field: string, value: unknown): readonly ResourceObject[];
  /** Every string value of a field named in the spec, at any depth, in resources of its types. */
  referenceSet(spec: ReferenceSpec): ReadonlySet<string>;
  /** Causes of referencing fields that are `$unresolved` (planned resources): they may name anything. */
  referenceUnknowns(spec: ReferenceSpec): readonly UnresolvedCause[];
  /** Resources of `type` whose `field` is `$unresolved` (planned resources): they may or may not be related to anything. */
  relatedUnknown(type: string, field: string): readonly ResourceObject[];
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
    readonly reason: Words,
    readonly failed: CollectionError,
  ) {
    super(say(reason, "en"));
  }
}
