// The AWS SDK v3 clients, loaded on first use so that `evaluate` and the other offline commands
// never load them. Retries are the SDK's adaptive mode (a client-side rate limiter that backs off
// on throttling, plus exponential backoff with jitter) without its per-client retry quota
// (retry.ts); every attempt has a deadline from the request to the last byte (http.ts).
import type { AwsService } from "../resources/catalog.js";
import { DeadlineHandler, type RequestSlots } from "./http.js";
import { redact } from "./redact.js";

export type ServiceName = AwsService | "sts";

/** The npm package and client class of each service. */
const PACKAGES: Record<ServiceName, { pkg: string; client: string }> = {
  ec2: { pkg: "@aws-sdk/client-ec2", client: "EC2Client" },
  ecr: { pkg: "@aws-sdk/client-ecr", client: "ECRClient" },
  sagemaker: { pkg: "@aws-sdk/client-sagemaker", client: "SageMakerClient" },
  kms: { pkg: "@aws-sdk/client-kms", client: "KMSClient" },
  logs: { pkg: "@aws-sdk/client-cloudwatch-logs", client: "CloudWatchLogsClient" },
  sts: { pkg: "@aws-sdk/client-sts", client: "STSClient" },
};

/** IAM action prefix of each service (CloudWatch Logs is `logs:`). */
export const IAM_PREFIX: Record<ServiceName, string> = { ec2: "ec2", ecr: "ecr", sagemaker: "sagemaker", kms: "kms", logs: "logs", sts: "sts" };

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
export type CredentialSource = Credentials | (() => Promise<Credentials>);

/** How requests are made: retries, timeouts, and (tests, benchmarks) where they go. */
export interface AwsSettings {
  /** Attempts per request, first one included (the SDK's maxAttempts). */
  maxAttempts: number;
  /** Limit per attempt from the request to the last byte of the answer, in milliseconds. */
  requestTimeoutMs: number;
  /** TCP/TLS connection limit, in milliseconds. */
  connectTimeoutMs: number;
  /** Multiplies every retry delay and the adaptive limiter's slowest rate's period (tests use 0.01). */
  retryDelayScale: number;
  /** Endpoint URL for every service; otherwise the SDK's own (AWS_ENDPOINT_URL and friends work). */
  endpoint?: string;
}

export const DEFAULT_AWS_SETTINGS: AwsSettings = { maxAttempts: 8, requestTimeoutMs: 30_000, connectTimeoutMs: 5_000, retryDelayScale: 1 };

type Module = Record<string, unknown>;
interface Command {
  readonly input: unknown;
}
type CommandClass = new (input: unknown) => Command;
type Paginator = (config: { client: SdkClient; pageSize?: number; stopOnSameToken?: boolean }, input: unknown) => AsyncIterable<Output>;

export type Output = Record<string, unknown> & { $metadata?: { attempts?: number; httpStatusCode?: number } };

export interface SdkClient {
  send(command: Command): Promise<Output>;
  destroy(): void;
  config: { region: () => Promise<string> };
}

const modules = new Map<ServiceName, Promise<Module>>();

function importPackage(service: ServiceName): Promise<Module> {
  // Literal specifiers, so TypeScript checks that each package is a dependency.
  switch (service) {
    case "ec2":
      return import("@aws-sdk/client-ec2") as Promise<unknown> as Promise<Module>;
    case "ecr":
      return import("@aws-sdk/client-ecr") as Promise<unknown> as Promise<Module>;
    case "sagemaker":
      return import("@aws-sdk/client-sagemaker") as Promise<unknown> as Promise<Module>;
    case "kms":
      return import("@aws-sdk/client-kms") as Promise<unknown> as Promise<Module>;
    case "logs":
      return import("@aws-sdk/client-cloudwatch-logs") as Promise<unknown> as Promise<Module>;
    case "sts":
      return import("@aws-sdk/client-sts") as Promise<unknown> as Promise<Module>;
  }
}

function loadModule(service: ServiceName): Promise<Module> {
  // The SDK warns on every run under Node 20 that its releases after January 2027 will need
  // Node 22. sagegate pins SDK versions that support Node 20, so the notice is for maintainers
  // (README), not for every scan's stderr. An explicit setting is respected.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  let m = modules.get(service);
  if (!m) modules.set(service, (m = importPackage(service)));
  return m;
}

/** A loaded service package: its client class, commands and paginators by operation name. */
export class ServiceModule {
  private constructor(
    readonly service: ServiceName,
    private readonly mod: Module,
  ) {}

  static async load(service: ServiceName): Promise<ServiceModule> {
    return new ServiceModule(service, await loadModule(service));
  }

  command(operation: string, input: unknown): Command {
    const C = this.mod[`${operation}Command`] as CommandClass | undefined;
    if (typeof C !== "function") throw new Error(`${PACKAGES[this.service].pkg} has no ${operation}Command`);
    return new C(input);
  }

  paginator(operation: string): Paginator {
    const p = this.mod[`paginate${operation}`] as Paginator | undefined;
    if (typeof p !== "function") throw new Error(`${PACKAGES[this.service].pkg} has no paginate${operation}`);
    return p;
  }

  /** A client; with `slots`, each of its HTTP requests waits for one of them (http.ts). */
  async client(region: string | undefined, credentials: CredentialSource | undefined, settings: AwsSettings, slots?: RequestSlots): Promise<SdkClient> {
    const Client = this.mod[PACKAGES[this.service].client] as new (config: Record<string, unknown>) => SdkClient;
    const { NodeHttpHandler } = await import("@smithy/node-http-handler");
    // Loaded here, with the SDK: retry.ts imports @smithy/core, which `evaluate` must never load.
    const { RunRetryStrategy } = await import("./retry.js");
    const http = new NodeHttpHandler({
      connectionTimeout: settings.connectTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      throwOnRequestTimeout: true,
      httpAgent: { keepAlive: true, maxSockets: 64 },
      httpsAgent: { keepAlive: true, maxSockets: 64 },
    });
    const config: Record<string, unknown> = {
      // Resolve each command's middleware stack once per client, not on every request: it was
      // about a tenth of the collector's CPU per request (bench/README.md, collection profile).
      // Safe because no middleware is ever added to these clients after they are made.
      cacheMiddleware: true,
      // The SDK's adaptive mode without its per-client retry quota (retry.ts).
      retryMode: "adaptive",
      maxAttempts: settings.maxAttempts,
      retryStrategy: new RunRetryStrategy(settings.maxAttempts, settings.retryDelayScale),
      // The handler's requestTimeout ends at the headers; the deadline covers the body too (http.ts).
      requestHandler: new DeadlineHandler(http, settings.requestTimeoutMs, slots),
    };
    if (region !== undefined) config.region = region;
    if (credentials !== undefined) config.credentials = credentials;
    if (settings.endpoint !== undefined) config.endpoint = settings.endpoint;
    return new Client(config);
  }
}

/** AWS's error code and message, nothing else (no request, no headers, and credentials redacted from the message). */
export function errorInfo(err: unknown): { code: string; message: string } {
  const e = (typeof err === "object" && err !== null ? err : {}) as { name?: unknown; code?: unknown; message?: unknown };
  const name = typeof e.name === "string" && e.name !== "Error" ? e.name : undefined;
  const code = name ?? (typeof e.code === "string" ? e.code : "Error");
  const raw = typeof e.message === "string" ? e.message : String(err);
  const message = redact(raw).replace(/\s+/g, " ").trim().slice(0, 2000);
  return { code, message };
}

/** The SDK's attempt count of a response or error (1 + retries). */
export function attemptsOf(x: unknown): number {
  const a = (x as { $metadata?: { attempts?: unknown } } | undefined)?.$metadata?.attempts;
  return typeof a === "number" && a >= 1 ? a : 1;
}

/** The output as JSON.stringify would keep it: without $metadata, Dates as ISO strings, no undefined and no null members. */
export function plain(output: unknown): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(output, function (this: unknown, key: string, value: unknown) {
      if (key === "$metadata") return undefined;
      // The SDK never returns null; should one appear, an absent member says the same without breaking "never null".
      if (value === null && !Array.isArray(this)) return undefined;
      return value;
    }),
  ) as Record<string, unknown>;
}
