// Where a condition is being compiled: its place in the rule document (for errors that name the
// line), the type of the value it looks at, and what it records while compiling: the fields it
// reads (needs, mapped to AWS calls by the engine) and what it looks up in other resources.
// Operators compile their sub-conditions through it; it does not know the operators (the
// dispatcher hands it the function that does), so it imports none of them.
import { suggest } from "../../io/suggest.js";
import { childType, resourceType } from "../../resources/catalog.js";
import { unknownFieldProblem } from "../../resources/fields.js";
import { compilePath, PathSyntaxError, type CompiledPath } from "../path.js";
import { PlaceholderError, type Placeholders } from "../placeholders.js";
import { display } from "./messages.js";
import { addNeed, type Condition, type Frame, type Lookups, type Needs, type ReferenceSpec } from "./types.js";

/** A rule that passed its schema but cannot be compiled: `path` says where in the document. */
export class ConditionError extends Error {
  constructor(
    message: string,
    readonly path: ReadonlyArray<string | number>,
  ) {
    super(message);
  }
}

export interface CompileOptions {
  placeholders: Placeholders;
  definitions: ReadonlyMap<string, unknown>;
  /** Filled with what the condition looks up in other resources. */
  lookups: Lookups;
}

/** A value written in a rule, after placeholders: known now, or only per region ({accountId}). */
export interface Value {
  get: (frame: Frame) => unknown;
  text: string;
}

/** A path or a list of paths whose values are concatenated. */
export interface Paths {
  text: string;
  getAll: (value: unknown, frame: Frame) => unknown[];
}

type Compiler = (raw: unknown, ctx: CompileContext) => Condition;

interface Shared extends CompileOptions {
  compiler: Compiler;
}

export class CompileContext {
  private constructor(
    private readonly shared: Shared,
    /** Where in the rule document this condition is. */
    readonly at: ReadonlyArray<string | number>,
    /** Type of the value conditions look at, when it is a whole resource; null inside a sub-value. */
    readonly resourceType: string | null,
    /** Fields read, per type, by the part of the rule being compiled (scope or check). */
    readonly needs: Needs,
    /** Definitions being expanded, to refuse cycles. */
    private readonly using: readonly string[],
  ) {}

  static root(options: CompileOptions, compiler: Compiler, at: ReadonlyArray<string | number>, resourceTypeName: string, needs: Needs): CompileContext {
    return new CompileContext({ ...options, compiler }, at, resourceTypeName, needs, []);
  }

  get placeholders(): Placeholders {
    return this.shared.placeholders;
  }

  get definitions(): ReadonlyMap<string, unknown> {
    return this.shared.definitions;
  }

  /** A part of this condition, further down the document. */
  child(sub: ReadonlyArray<string | number>, resourceTypeName: string | null = this.resourceType): CompileContext {
    return new CompileContext(this.shared, [...this.at, ...sub], resourceTypeName, this.needs, this.using);
  }

  /** The key beside this one in the same mapping (`else` beside `cases`). */
  sibling(key: string): CompileContext {
    return new CompileContext(this.shared, [...this.at.slice(0, -1), key], this.resourceType, this.needs, this.using);
  }

  /** A condition on a value inside the resource (an item, a parsed policy): paths there read no resource field. */
  within(sub: ReadonlyArray<string | number> = []): CompileContext {
    return this.child(sub, null);
  }

  /** A condition on another resource of `type` (a ref's target, a related resource), recording its reads in `needs`. */
  onResource(sub: ReadonlyArray<string | number>, type: string, needs: Needs): CompileContext {
    return new CompileContext(this.shared, [...this.at, ...sub], type, needs, this.using);
  }

  /** Compiles a shared definition where it is used: its fields count as needs of the using rule. */
  compileDefinition(name: string): Condition {
    const def = this.definitions.get(name);
    if (def === undefined) this.fail(`no definition named "${name}"${suggest(name, [...this.definitions.keys()])}`);
    if (this.using.includes(name)) this.fail(`definition "${name}" uses itself (${[...this.using, name].join(" → ")})`);
    const ctx = new CompileContext(this.shared, ["definitions", name], this.resourceType, this.needs, [...this.using, name]);
    return this.shared.compiler(def, ctx);
  }

  /** Compiles a sub-condition at `sub`. */
  compile(raw: unknown, sub: ReadonlyArray<string | number> = []): Condition {
    return this.shared.compiler(raw, sub.length === 0 ? this : this.child(sub));
  }

  fail(message: string, sub: ReadonlyArray<string | number> = []): never {
    throw new ConditionError(message, [...this.at, ...sub]);
  }

  /**
   * A field path; reading a field of the resource records it as a need. A path whose first
   * field the resource type does not have can never match, so it is refused (issue 10).
   */
  path(text: string, sub: ReadonlyArray<string | number>): CompiledPath {
    let compiled: CompiledPath;
    try {
      compiled = compilePath(text);
    } catch (err) {
      if (err instanceof PathSyntaxError) this.fail(err.message, sub);
      throw err;
    }
    const unknown = this.resourceType === null ? undefined : unknownFieldProblem(this.resourceType, compiled.rootField);
    if (unknown) this.fail(unknown, sub);
    if (this.resourceType !== null && compiled.rootField !== undefined) addNeed(this.needs, this.resourceType, compiled.rootField);
    return compiled;
  }

  paths(written: string | readonly string[], sub: ReadonlyArray<string | number>): Paths {
    if (typeof written === "string") {
      const one = this.path(written, sub);
      return { text: one.text, getAll: one.getAll };
    }
    const list = written.map((p, i) => this.path(p, [...sub, i]));
    return { text: list.map((p) => p.text).join(" + "), getAll: (v, f) => list.flatMap((p) => p.getAll(v, f)) };
  }

  /** A value written in the rule, with its placeholders replaced. */
  value(written: unknown, sub: ReadonlyArray<string | number> = []): Value {
    let interpolated;
    try {
      interpolated = this.placeholders.interpolate(written);
    } catch (err) {
      if (err instanceof PlaceholderError) this.fail(err.message, sub);
      throw err;
    }
    if ("constant" in interpolated) {
      const constant = interpolated.constant;
      return { get: () => constant, text: display(constant) };
    }
    const runtime = interpolated.runtime;
    return { get: (f) => runtime(f.index.vars), text: display(written) };
  }

  /** A field of another type this condition reads. */
  addNeed(type: string, field: string): void {
    addNeed(this.needs, type, field);
  }

  /** Reads of another condition (a ref's check) counted as this one's. */
  addNeeds(needs: Needs): void {
    for (const [type, fields] of needs) for (const field of fields) addNeed(this.needs, type, field);
  }

  /** Resources of `type` this condition looks up by id or field: the engine keeps these fields of them. */
  addLookup(type: string, fields: Iterable<string>): void {
    const lookups = this.shared.lookups.fields;
    let set = lookups.get(type);
    if (!set) lookups.set(type, (set = new Set()));
    const idField = (resourceType(type) ?? childType(type)?.child)?.idField;
    if (idField) set.add(idField);
    for (const f of fields) set.add(f);
  }

  addReferenceSet(spec: ReferenceSpec): void {
    this.shared.lookups.references.set(spec.key, spec);
  }
}
