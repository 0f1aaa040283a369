// `sagegate collect`: who am I (STS), which accounts (assumed roles) and regions, then the
// account × region pairs collected into one snapshot, a few at a time: every HTTP request of the
// run waits for one of `maxInFlight` slots while it is on the wire (besides its service's
// `concurrency` bound in its account and region), and only as many account-regions are open —
// with their SDK clients, sockets and half-collected data — as it takes to keep those slots busy;
// each one's clients are destroyed when it is done. So an organisation of hundreds of account-regions runs at the pace of its
// request slots, in the memory of a few account-regions plus the snapshot. AWS problems that make
// the whole collect impossible (no credentials, STS refusing a role) throw AwsError; everything
// else is recorded in the snapshot's `errors` and the collect goes on.
import { AwsError, UsageError } from "../errors.js";
import { partitionOf, RESOURCE_TYPES, resourceType, type AwsService, type ResourceTypeDef } from "../resources/catalog.js";
import { compare } from "../snapshot/read.js";
import type { AccountSnapshot, RegionSnapshot, SnapshotFile } from "../snapshot/types.js";
import { normalizeSnapshot } from "../snapshot/write.js";
import { TOOL } from "../version.js";
import { Limiter } from "./limiter.js";
import { registerEnvironmentSecrets, registerSecret } from "./redact.js";
import { CollectStats, collectRegion, ServiceCaller } from "./region.js";
import {
  DEFAULT_AWS_SETTINGS,
  errorInfo,
  ServiceModule,
  type AwsSettings,
  type CredentialSource,
  type Credentials,
  type SdkClient,
  type ServiceName,
} from "./sdk.js";

export interface CollectOptions {
  /** Regions to collect; default the configured region (AWS_REGION, the profile's region). */
  regions?: string[];
  /** Every region enabled in the account (EC2 DescribeRegions). */
  allRegions?: boolean;
  /** Start of the window for SageMaker training and processing jobs. */
  since: Date;
  /** Requests in flight per service, account and region. */
  concurrency: number;
  /** Requests in flight in the whole collect, every account, region and service together (default DEFAULT_MAX_IN_FLIGHT). */
  maxInFlight?: number;
  /** Account-regions collected at once (default regionsAtOnce(maxInFlight, concurrency)). */
  regionsAtOnce?: number;
  /** Roles to assume, one per account; none = the caller's own account. */
  roleArns?: string[];
  externalId?: string;
  aws?: Partial<AwsSettings>;
  /** Credentials for the caller (tests); default the SDK's credential chain. */
  credentials?: CredentialSource;
  /** Progress lines (per region and service). */
  progress?: (line: string) => void;
  /** Clock for collectedAt (tests). */
  now?: () => Date;
  /** Told of every SDK client made and destroyed (tests: clients are released when their account-region is done). */
  clientEvents?: (event: "created" | "destroyed", service: ServiceName, client: SdkClient) => void;
}

/** Default of `maxInFlight` (`--max-in-flight`). */
export const DEFAULT_MAX_IN_FLIGHT = 64;

/**
 * Account-regions to keep open so that `maxInFlight` slots stay busy. One account-region keeps
 * about `concurrency` requests in flight while its largest service works through its resources,
 * far fewer while it walks list pages one after the other and while its last calls finish, so
 * half as many again are open as would fill the slots at full speed. Measured with
 * `npm run bench:collect` (bench/README.md).
 */
export function regionsAtOnce(maxInFlight: number, concurrency: number): number {
  return Math.max(2, Math.ceil((1.5 * maxInFlight) / concurrency));
}

export interface CollectResult {
  snapshot: SnapshotFile;
  stats: CollectStats;
  elapsedMs: number;
}

const SERVICES: readonly AwsService[] = [...new Set(RESOURCE_TYPES.map((t) => t.service))];

interface Target {
  /** Role to assume, or undefined for the caller's own credentials. */
  roleArn?: string;
  credentials: CredentialSource | undefined;
}

export async function collect(options: CollectOptions): Promise<CollectResult> {
  const started = Date.now();
  const now = options.now ?? (() => new Date());
  const collectedAt = now().toISOString();
  const settings: AwsSettings = { ...DEFAULT_AWS_SETTINGS, ...options.aws };
  const stats = new CollectStats();
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new UsageError(`--concurrency must be a positive integer`);
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new UsageError(`--max-in-flight must be a positive integer`);
  const open = options.regionsAtOnce ?? regionsAtOnce(maxInFlight, options.concurrency);
  if (!Number.isInteger(open) || open < 1) throw new Error(`regionsAtOnce must be a positive integer, got ${open}`);
  // Every HTTP request of the run, STS included, holds one of these slots while it is on the wire.
  const slots = new Limiter(maxInFlight);
  const run: Run = { options, settings, stats, slots };
  if (options.regions && options.allRegions) throw new UsageError("give either --regions or --all-regions, not both");

  // Whatever credentials this run holds are removed from every AWS message it records or prints.
  registerEnvironmentSecrets();
  if (options.credentials && typeof options.credentials === "object") {
    registerSecret(options.credentials.accessKeyId);
    registerSecret(options.credentials.secretAccessKey);
    registerSecret(options.credentials.sessionToken);
  }
  const sts = await ServiceModule.load("sts");
  const homeRegion = options.regions?.[0] ?? (await configuredRegion(sts, options.credentials, settings, !options.allRegions));
  const baseSts = await sts.client(homeRegion, options.credentials, settings, slots);
  options.clientEvents?.("created", "sts", baseSts);
  const targets: Target[] =
    (options.roleArns ?? []).length === 0
      ? [{ credentials: options.credentials }]
      : options.roleArns!.map((roleArn) => ({ roleArn, credentials: assumeRole(sts, baseSts, roleArn, options.externalId) }));

  const accounts: AccountSnapshot[] = [];
  const seen = new Set<string>();
  try {
    // Identify every account first (concurrently; as many STS clients at once as there are
    // slots): a refused role or missing credentials stop before any collection, with the first
    // such target's error.
    const identifying = new Limiter(maxInFlight);
    const ids = await firstFailureInOrder(targets.map((target) => identifying.run(() => callerAccount(sts, homeRegion, target, run))));
    const identified: Array<{ target: Target; accountId: string }> = [];
    targets.forEach((target, i) => {
      if (seen.has(ids[i]!)) return;
      seen.add(ids[i]!);
      identified.push({ target, accountId: ids[i]! });
    });
    const regionLists = await firstFailureInOrder(
      identified.map(({ target }) =>
        options.regions
          ? Promise.resolve(options.regions)
          : options.allRegions
            ? identifying.run(() => enabledRegions(homeRegion, target, run))
            : Promise.resolve([homeRegion]),
      ),
    );
    const jobs = identified.flatMap(({ target, accountId }, a) => regionLists[a]!.map((region) => ({ target, accountId, region })));
    const done = await inTurn(jobs, open, (job) => collectAccountRegion(job.accountId, job.region, job.target, run));
    let offset = 0;
    identified.forEach(({ accountId }, a) => {
      accounts.push({ accountId, regions: done.slice(offset, (offset += regionLists[a]!.length)) });
    });
  } finally {
    baseSts.destroy();
    options.clientEvents?.("destroyed", "sts", baseSts);
  }
  accounts.sort((a, b) => compare(a.accountId, b.accountId));
  const doc: SnapshotFile = { snapshotVersion: 1, collectedAt, collector: { name: TOOL.name, version: TOOL.version }, accounts };
  return { snapshot: normalizeSnapshot(doc, (type) => resourceType(type)!.idField), stats, elapsedMs: Date.now() - started };
}

/** What every part of one collect shares. */
interface Run {
  options: CollectOptions;
  settings: AwsSettings;
  stats: CollectStats;
  /** The run's request slots (`maxInFlight`). */
  slots: Limiter;
}

/** All values in order, or the rejection of the first promise (in order) that rejected, once all have settled. */
async function firstFailureInOrder<T>(promises: Array<Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** `work` for every job, at most `atOnce` at a time, started in order; the results in job order. */
async function inTurn<J, R>(jobs: readonly J[], atOnce: number, work: (job: J) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await work(jobs[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, jobs.length) }, worker));
  return results;
}

async function collectAccountRegion(accountId: string, region: string, target: Target, run: Run): Promise<RegionSnapshot> {
  const { options, settings, stats } = run;
  const callers = new Map<AwsService, ServiceCaller>();
  try {
    for (const service of SERVICES) {
      const module = await ServiceModule.load(service);
      const client = await module.client(region, target.credentials, settings, run.slots);
      options.clientEvents?.("created", service, client);
      callers.set(service, new ServiceCaller(service, module, client, new Limiter(options.concurrency), stats));
    }
    const perService = new Map<AwsService, { types: number; resources: number; errors: number }>();
    const result = await collectRegion({
      accountId,
      region,
      since: options.since,
      stats,
      caller: (service) => callers.get(service)!,
      typeDone: (def: ResourceTypeDef, count: number, errors: number) => {
        if (!options.progress) return;
        const s = perService.get(def.service) ?? { types: 0, resources: 0, errors: 0 };
        s.types++;
        s.resources += count;
        s.errors += errors;
        perService.set(def.service, s);
        const shortName = def.type.split("::").pop();
        const done = s.types === RESOURCE_TYPES.filter((t) => t.service === def.service).length;
        options.progress(
          `${accountId} ${region} ${def.service}: ${count} ${shortName}${errors > 0 ? ` (${plural(errors, "error")})` : ""}` +
            (done
              ? ` — ${def.service} done: ${plural(s.resources, "resource")}, ${plural(callers.get(def.service)!.calls, "call")}, ${plural(s.errors, "error")}`
              : ""),
        );
      },
    });
    return { region, resources: result.resources, errors: result.errors };
  } finally {
    // The clients (their sockets and agents) go with the account-region: nothing keeps them after this.
    for (const [service, c] of callers) {
      c.destroy();
      options.clientEvents?.("destroyed", service, c.client);
    }
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The region the SDK is configured with; required unless --all-regions can fall back to us-east-1. */
async function configuredRegion(sts: ServiceModule, credentials: CredentialSource | undefined, settings: AwsSettings, required: boolean): Promise<string> {
  const client = await sts.client(undefined, credentials, settings);
  try {
    return await client.config.region();
  } catch {
    if (!required) return "us-east-1";
    throw new UsageError("no AWS region: pass --regions, --all-regions, or set AWS_REGION (or a region in the AWS profile)");
  } finally {
    client.destroy();
  }
}

/** STS GetCallerIdentity with the target's credentials: the account id, and proof the credentials work. */
async function callerAccount(sts: ServiceModule, region: string, target: Target, run: Run): Promise<string> {
  const { settings, stats } = run;
  const client = await sts.client(region, target.credentials, settings, run.slots);
  run.options.clientEvents?.("created", "sts", client);
  try {
    const out = await client.send(sts.command("GetCallerIdentity", {}));
    stats.count("sts", "GetCallerIdentity", 1);
    const account = out.Account;
    if (typeof account !== "string" || !/^\d{12}$/.test(account)) throw new AwsError(`STS GetCallerIdentity returned no account id`);
    return account;
  } catch (err) {
    if (err instanceof AwsError) throw err;
    const { code, message } = errorInfo(err);
    const who = target.roleArn ? `with role ${target.roleArn}` : "with the configured credentials";
    if (code === "CredentialsProviderError") throw new AwsError(`no AWS credentials: ${message}`);
    throw new AwsError(`cannot identify the account ${who}: ${code}: ${message}`);
  } finally {
    client.destroy();
    run.options.clientEvents?.("destroyed", "sts", client);
  }
}

async function enabledRegions(region: string, target: Target, run: Run): Promise<string[]> {
  const { settings, stats } = run;
  const ec2 = await ServiceModule.load("ec2");
  const client = await ec2.client(region, target.credentials, settings, run.slots);
  run.options.clientEvents?.("created", "ec2", client);
  try {
    const out = await client.send(ec2.command("DescribeRegions", {}));
    stats.count("ec2", "DescribeRegions", 1);
    const regions = ((out.Regions as Array<{ RegionName?: string }> | undefined) ?? []).map((r) => r.RegionName).filter((r): r is string => !!r);
    if (regions.length === 0) throw new AwsError("EC2 DescribeRegions returned no regions");
    return regions.sort(compare);
  } catch (err) {
    if (err instanceof AwsError) throw err;
    const { code, message } = errorInfo(err);
    throw new AwsError(`cannot list the account's regions (--all-regions): ${code}: ${message}`);
  } finally {
    client.destroy();
    run.options.clientEvents?.("destroyed", "ec2", client);
  }
}

/**
 * Temporary credentials of `roleArn` from STS AssumeRole, refreshed five minutes before they
 * expire and shared by every client of that account.
 */
function assumeRole(sts: ServiceModule, client: SdkClient, roleArn: string, externalId: string | undefined): () => Promise<Credentials> {
  let current: Promise<Credentials> | undefined;
  let expires = 0;
  return () => {
    if (!current || Date.now() > expires - 5 * 60_000) {
      const input: Record<string, unknown> = { RoleArn: roleArn, RoleSessionName: "sagegate", DurationSeconds: 3600 };
      if (externalId !== undefined) input.ExternalId = externalId;
      current = client.send(sts.command("AssumeRole", input)).then(
        (out) => {
          const c = out.Credentials as { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } | undefined;
          if (!c?.AccessKeyId || !c.SecretAccessKey) throw new AwsError(`cannot assume role ${roleArn}: STS returned no credentials`);
          registerSecret(c.AccessKeyId);
          registerSecret(c.SecretAccessKey);
          registerSecret(c.SessionToken);
          expires = c.Expiration instanceof Date ? c.Expiration.getTime() : Date.now() + 3600_000;
          return {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
            expiration: new Date(expires),
          };
        },
        (err: unknown) => {
          current = undefined;
          if (err instanceof AwsError) throw err;
          const { code, message } = errorInfo(err);
          throw new AwsError(`cannot assume role ${roleArn}: ${code}: ${message}`);
        },
      );
    }
    return current;
  };
}

/** Role ARNs for `--accounts id,id --role-name NAME` in the partition of `region`. */
export function roleArnsFor(accountIds: readonly string[], roleName: string, region: string | undefined): string[] {
  for (const id of accountIds) if (!/^\d{12}$/.test(id)) throw new UsageError(`--accounts: "${id}" is not a 12-digit account id`);
  const name = roleName.replace(/^\/+/, "");
  if (!/^[\w+=,.@/-]+$/.test(name)) throw new UsageError(`--role-name: "${roleName}" is not a valid IAM role name`);
  return accountIds.map((id) => `arn:${partitionOf(region ?? "us-east-1")}:iam::${id}:role/${name}`);
}
