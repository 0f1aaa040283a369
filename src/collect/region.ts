// Collects one account and region by interpreting the resource types' `collect` declarations
// (src/resources/catalog.ts). Every AWS request goes through its service's Limiter; list pages
// are walked by the SDK's paginators, and the per-resource calls of a page start while the next
// page is fetched.
import type { CallInput, ErrorMatch, PagedCall, PagedDetail, RegionJoinDetail, SingleDetail } from "../resources/collect-spec.js";
import { RESOURCE_TYPES, type AwsService, type ResourceObject, type ResourceTypeDef } from "../resources/catalog.js";
import { compare, compareErrors } from "../snapshot/order.js";
import type { CollectionError } from "../snapshot/types.js";
import { Limiter } from "./limiter.js";
import { answered, pageItems } from "./answers.js";
import { attemptsOf, errorInfo, plain, type Output, type SdkClient, type ServiceModule } from "./sdk.js";

/** Counters shared by a whole collect. */
export class CollectStats {
  calls = 0;
  retries = 0;
  resources = 0;
  errors = 0;
  /** API calls by IAM-style name, e.g. ecr:GetLifecyclePolicy (for the final line and tests). */
  readonly operations = new Map<string, number>();

  count(service: string, operation: string, attempts: number): void {
    this.calls++;
    this.retries += attempts - 1;
    const key = `${service}:${operation}`;
    this.operations.set(key, (this.operations.get(key) ?? 0) + 1);
  }
}

type CallResult = { ok: true; output: Output } | { ok: false; code: string; message: string };

/** One service's client in one account and region, behind its concurrency bound. */
export class ServiceCaller {
  calls = 0;

  constructor(
    readonly service: AwsService,
    private readonly module: ServiceModule,
    readonly client: SdkClient,
    private readonly limiter: Limiter,
    private readonly stats: CollectStats,
  ) {}

  async send(operation: string, input: Record<string, unknown>): Promise<CallResult> {
    return this.limiter.run(async () => {
      try {
        const output = await this.client.send(this.module.command(operation, input));
        this.counted(operation, output);
        return { ok: true, output };
      } catch (err) {
        this.counted(operation, err);
        return { ok: false, ...errorInfo(err) };
      }
    });
  }

  /** Pages of a paginated call, each request made inside the limiter. Throws the AWS error of a failed page. */
  async *pages(operation: string, input: Record<string, unknown>, pageSize: number): AsyncGenerator<Output> {
    const paginate = this.module.paginator(operation);
    const iterator = paginate({ client: this.client, pageSize, stopOnSameToken: true }, input)[Symbol.asyncIterator]();
    for (;;) {
      const step = await this.limiter.run(async () => {
        try {
          const r = await iterator.next();
          if (!r.done) this.counted(operation, r.value);
          return r;
        } catch (err) {
          this.counted(operation, err);
          throw err;
        }
      });
      if (step.done) return;
      yield step.value;
    }
  }

  /**
   * The items of each page of `call`, checked against what AWS always returns (answers.ts).
   * Throws the AWS error of a failed page, or MalformedResponse for a page that is not an answer.
   */
  async *itemPages(call: PagedCall, input: Record<string, unknown>, idField?: string): AsyncGenerator<ResourceObject[]> {
    let page = 0;
    for await (const output of this.pages(call.operation, input, call.pageSize)) yield pageItems(output, call, ++page, idField);
  }

  private counted(operation: string, outputOrError: unknown): void {
    this.calls++;
    this.stats.count(this.service, operation, attemptsOf(outputOrError));
  }

  destroy(): void {
    this.client.destroy();
  }
}

export interface RegionContext {
  accountId: string;
  region: string;
  since: Date;
  caller(service: AwsService): ServiceCaller;
  stats: CollectStats;
  /** Called when a type is done: counts for the progress display. */
  typeDone?(def: ResourceTypeDef, count: number, errors: number): void;
}

export interface RegionResult {
  resources: Record<string, ResourceObject[]>;
  errors: CollectionError[];
}

/** Collects every declared resource type of one account and region. Never throws for AWS errors. */
export async function collectRegion(ctx: RegionContext, types: readonly ResourceTypeDef[] = RESOURCE_TYPES): Promise<RegionResult> {
  const errors = new ErrorLog();
  const resources: Record<string, ResourceObject[]> = {};
  await Promise.all(
    types.map(async (def) => {
      const list = await collectType(def, ctx, errors);
      resources[def.type] = list;
      ctx.stats.resources += list.length;
      // Types run concurrently: count this type's own errors, not what others added meanwhile.
      ctx.typeDone?.(def, list.length, errors.countFor(def.type));
    }),
  );
  const sorted: Record<string, ResourceObject[]> = {};
  for (const type of Object.keys(resources).sort(compare)) sorted[type] = resources[type]!;
  ctx.stats.errors += errors.size;
  return { resources: sorted, errors: errors.sorted() };
}

/** Collection errors of a region, without exact duplicates. */
class ErrorLog {
  private readonly byKey = new Map<string, CollectionError>();
  private readonly byType = new Map<string, number>();
  get size(): number {
    return this.byKey.size;
  }
  countFor(type: string): number {
    return this.byType.get(type) ?? 0;
  }
  add(e: CollectionError): void {
    const key = JSON.stringify([e.resourceType, e.resourceId ?? null, e.operation, e.code, e.message]);
    if (this.byKey.has(key)) return;
    this.byKey.set(key, e);
    this.byType.set(e.resourceType, this.countFor(e.resourceType) + 1);
  }
  sorted(): CollectionError[] {
    return [...this.byKey.values()].sort(compareErrors);
  }
}

interface Pending {
  obj: ResourceObject;
  /** Values of detail fields, set in declaration order once every call is done (stable key order). */
  extras: Map<string, unknown>;
  gone: boolean;
  /** The describe call failed: only the list's summary is kept and no detail call was made. */
  summaryOnly: boolean;
}

async function collectType(def: ResourceTypeDef, ctx: RegionContext, errors: ErrorLog): Promise<ResourceObject[]> {
  const spec = def.collect;
  const caller = ctx.caller(def.service);
  const details = spec.details ?? [];
  const fail = (operation: string, r: { code: string; message: string }, resourceId?: string) =>
    errors.add({ resourceType: def.type, operation, ...(resourceId !== undefined ? { resourceId } : {}), code: r.code, message: r.message });

  // Region-wide lists joined to resources (KMS aliases) start with the main list.
  const joins = new Map<RegionJoinDetail, Promise<Map<string, ResourceObject[]> | undefined>>();
  for (const d of details) if (d.kind === "region-join") joins.set(d, regionJoin(d, caller, fail));

  const pending: Array<Promise<Pending | undefined>> = [];
  const listInput: Record<string, unknown> = { ...(spec.list.fixed ?? {}) };
  if (spec.list.sinceParam) listInput[spec.list.sinceParam] = ctx.since;
  try {
    for await (const page of caller.itemPages(spec.list, listInput, def.idField)) for (const item of page) pending.push(collectOne(def, item, caller, fail));
  } catch (err) {
    // The region's list of this type is unknown (failed, or answered with something that is not a list):
    // recorded without a resource id, so every rule of the type reports error. Resources of earlier pages are kept.
    fail(spec.list.operation, errorInfo(err));
  }
  const items = await Promise.all(pending);
  const joined = new Map<RegionJoinDetail, Map<string, ResourceObject[]> | undefined>();
  for (const [d, p] of joins) joined.set(d, await p);

  const byId = new Map<string, ResourceObject>();
  for (const item of items) {
    if (!item || item.gone) continue;
    const id = item.obj[def.idField];
    if (typeof id !== "string" || id.length === 0 || byId.has(id)) continue;
    const out: ResourceObject = { ...item.obj };
    for (const d of details) {
      if (d.kind === "region-join") {
        const map = joined.get(d);
        if (map && !item.summaryOnly) out[d.field] = map.get(id) ?? [];
      } else if (item.extras.has(d.field)) {
        out[d.field] = item.extras.get(d.field);
      }
    }
    byId.set(id, out);
  }
  return [...byId.keys()].sort(compare).map((id) => byId.get(id)!);
}

/** Describe (when declared), filter, then run the per-resource detail calls concurrently. */
async function collectOne(
  def: ResourceTypeDef,
  summary: ResourceObject,
  caller: ServiceCaller,
  fail: (operation: string, r: { code: string; message: string }, resourceId?: string) => void,
): Promise<Pending | undefined> {
  const spec = def.collect;
  const id = summary[def.idField];
  const resourceId = typeof id === "string" ? id : undefined;
  const result: Pending = { obj: summary, extras: new Map(), gone: false, summaryOnly: false };
  if (spec.describe) {
    const r = await caller.send(spec.describe.operation, inputOf(spec.describe, summary));
    if (!r.ok) {
      if (matches(r, spec.describe.gone)) return undefined;
      // Keep the list's summary (it has the id): rules that need only the id still run, the others report error.
      fail(spec.describe.operation, r, resourceId);
      result.summaryOnly = true;
      return result;
    }
    let described: unknown;
    try {
      described = answered(r.output, spec.describe);
    } catch (err) {
      fail(spec.describe.operation, errorInfo(err), resourceId);
      result.summaryOnly = true;
      return result;
    }
    result.obj = plain(described);
    if (result.obj[def.idField] === undefined && resourceId !== undefined) result.obj = { [def.idField]: resourceId, ...result.obj };
  }
  if (spec.skip?.some((s) => result.obj[s.field] === s.equals)) return undefined;
  const detailCalls = (spec.details ?? []).filter((d): d is SingleDetail | PagedDetail => d.kind !== "region-join");
  await Promise.all(detailCalls.map((d) => runDetail(d, result, caller, (op, r) => fail(op, r, resourceId))));
  return result;
}

async function runDetail(
  d: SingleDetail | PagedDetail,
  target: Pending,
  caller: ServiceCaller,
  fail: (operation: string, r: { code: string; message: string }) => void,
): Promise<void> {
  const input = inputOf(d, target.obj);
  if (d.kind === "single") {
    const r = await caller.send(d.operation, input);
    if (r.ok) {
      try {
        const value = answered(r.output, d);
        target.extras.set(d.field, typeof value === "object" ? plain(value) : value);
      } catch (err) {
        fail(d.operation, errorInfo(err));
      }
    } else if (matches(r, d.gone)) target.gone = true;
    else if (!matches(r, d.absent)) fail(d.operation, r);
    return;
  }
  const items: ResourceObject[] = [];
  try {
    for await (const page of caller.itemPages(d, input)) items.push(...page);
  } catch (err) {
    const r = errorInfo(err);
    if (matches(r, d.gone)) target.gone = true;
    else if (!matches(r, d.absent)) fail(d.operation, r);
    return;
  }
  let list = items;
  const each = d.describeEach;
  if (each) {
    const described = await Promise.all(
      items.map(async (item) => {
        const r = await caller.send(each.operation, inputOf(each, item));
        if (r.ok) {
          try {
            return plain(answered(r.output, each));
          } catch (err) {
            fail(each.operation, errorInfo(err));
            return undefined;
          }
        }
        if (!matches(r, each.gone)) fail(each.operation, r);
        return undefined;
      }),
    );
    list = described.filter((x): x is ResourceObject => x !== undefined);
  }
  target.extras.set(d.field, sortItems(list, d.sortBy));
}

async function regionJoin(
  d: RegionJoinDetail,
  caller: ServiceCaller,
  fail: (operation: string, r: { code: string; message: string }) => void,
): Promise<Map<string, ResourceObject[]> | undefined> {
  const byTarget = new Map<string, ResourceObject[]>();
  try {
    for await (const page of caller.itemPages(d, inputOf(d, {}))) {
      for (const item of page) {
        if (d.skipPrefix) {
          const v = item[d.skipPrefix.field];
          if (typeof v === "string" && v.startsWith(d.skipPrefix.prefix)) continue;
        }
        const key = item[d.joinOn];
        if (typeof key !== "string") continue;
        const list = byTarget.get(key) ?? [];
        list.push(item);
        byTarget.set(key, list);
      }
    }
  } catch (err) {
    // Every resource of the type misses this field: a region-level error for the detail call.
    const r = errorInfo(err);
    if (!matches(r, d.absent)) fail(d.operation, r);
    return undefined;
  }
  for (const [k, list] of byTarget) byTarget.set(k, sortItems(list, d.sortBy));
  return byTarget;
}

function inputOf(call: CallInput, source: ResourceObject): Record<string, unknown> {
  const input: Record<string, unknown> = { ...(call.fixed ?? {}) };
  for (const [param, field] of Object.entries(call.from ?? {})) {
    const v = source[field];
    if (v !== undefined && v !== null && v !== "") input[param] = v;
  }
  return input;
}

function matches(r: { code: string; message: string }, list: readonly ErrorMatch[] | undefined): boolean {
  return (list ?? []).some((m) => m.code === r.code && (m.message === undefined || new RegExp(m.message, "i").test(r.message)));
}

function text(v: unknown): string {
  return typeof v === "string" ? v : (JSON.stringify(v) ?? "");
}

/** Stable order by the given fields: numbers numerically, everything else as strings by code unit. */
function sortItems(items: ResourceObject[], by: readonly string[] | undefined): ResourceObject[] {
  if (!by || by.length === 0) return items;
  const key = (a: unknown, b: unknown): number => {
    if (typeof a === "number" && typeof b === "number") return a - b;
    if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
    return compare(text(a), text(b));
  };
  return [...items].sort((x, y) => {
    for (const f of by) {
      const c = key(x[f], y[f]);
      if (c !== 0) return c;
    }
    return 0;
  });
}
