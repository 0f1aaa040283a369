// A loopback AWS endpoint for tests and benchmarks. It speaks the real wire protocols, so the
// real SDK v3 clients talk to it unchanged (endpoint option or AWS_ENDPOINT_URL):
//   - EC2 and STS: query protocol (form-encoded Action=…), XML answers with the model's
//     locationNames and <item> lists, EC2 errors as <Response><Errors>…, STS as <ErrorResponse>;
//   - ECR, SageMaker, KMS, CloudWatch Logs: JSON 1.1 (X-Amz-Target), timestamps as epoch seconds
//     (Logs creationTime stays epoch milliseconds), errors as {"__type", "message"}.
// Resources come from a snapshot-shaped fixture; every list pages with opaque tokens; region and
// account come from the SigV4 credential scope and access key. Faults are injected on demand,
// every call is recorded, and requests in flight are counted per account, region and service.
// Only node builtins: the benchmark compiles this file on its own.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { asText } from "../../src/io/text.js";

export type Obj = Record<string, unknown>;

/** The snapshot shape (accounts → regions → resources by type) the server serves. */
export interface FixtureDoc {
  accounts: Array<{ accountId: string; regions: Array<{ region: string; resources: Record<string, Obj[]> }> }>;
}

export type FaultKind =
  | "throttle"
  | "server-error"
  | "access-denied"
  | "slow"
  | "not-found"
  | "region-disabled"
  | "signature-mismatch"
  // An error whose message repeats the access key id and session token in running text.
  | "echo-credentials"
  // HTTP 200 answers that are not AWS answers: no body, `{}` (an empty <…Response> for XML), a proxy's HTML page.
  | "empty-body"
  | "empty-object"
  | "html"
  // The real answer, slowly: headers then nothing for delayMs; or every byte intervalMs apart.
  | "stall-after-headers"
  | "trickle";

export interface Fault {
  kind: FaultKind;
  /** e.g. "ecr"; any when absent. */
  service?: string;
  /** e.g. "GetLifecyclePolicy"; any when absent. */
  operation?: string;
  region?: string;
  account?: string;
  /** Only requests whose parameters match. */
  when?: (params: Obj) => boolean;
  /** Apply to this many matching requests, then stop (default: all). */
  count?: number;
  /** Apply to every n-th matching request only. */
  every?: number;
  /** For "slow" and "stall-after-headers": added delay in ms. */
  delayMs?: number;
  /** For "trickle": ms between bytes. */
  intervalMs?: number;
  /** Apply to the first n attempts of every distinct request (same operation and parameters), then let it through. */
  firstAttempts?: number;
}

export interface ServerOptions {
  fixture: FixtureDoc;
  /** Most items per page whatever the client asks (AWS may return fewer than asked). */
  maxPageSize?: number;
  /** Latency added to every request, in ms. */
  latencyMs?: number;
  faults?: Fault[];
  /** Access key id → account; default AKIDSAGEGATETEST → the fixture's first account. */
  accessKeys?: Record<string, string>;
  /** Regions DescribeRegions lists; default every region of the fixture's accounts. */
  enabledRegions?: string[];
  /** Add an AWS-managed KMS key and alias/aws/* aliases to every region (the collector must skip them). */
  awsManagedKms?: boolean;
  /** AssumeRole requires this external id when set. */
  externalId?: string;
  /** What AssumeRole hands out (default sagegate-assumed-secret / sagegate-session-token). */
  assumedCredentials?: { secretAccessKey: string; sessionToken: string };
  /** Record every request's parameters (off for benchmarks: memory). */
  recordParams?: boolean;
}

export interface CallRecord {
  service: string;
  operation: string;
  account: string;
  region: string;
  params?: Obj;
}

export const TEST_ACCESS_KEY = "AKIDSAGEGATETEST";
export const TEST_SECRET_KEY = "sagegate-test-secret";

class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const JSON_TARGETS: Record<string, string> = {
  AmazonEC2ContainerRegistry_V20150921: "ecr",
  SageMaker: "sagemaker",
  TrentService: "kms",
  Logs_20140328: "logs",
};

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

export class AwsTestServer {
  readonly calls: CallRecord[] = [];
  /** Operations seen, as service:Operation. */
  readonly operations = new Set<string>();
  requests = 0;
  maxInFlight = 0;
  readonly maxInFlightBy = new Map<string, number>();
  private inFlight = 0;
  private readonly inFlightBy = new Map<string, number>();
  private server: Server | undefined;
  private readonly faultHits = new Map<Fault, number>();
  private readonly attemptsSeen = new Map<string, number>();
  private readonly regions = new Map<string, Map<string, Record<string, Obj[]>>>();
  private readonly keys: Map<string, string>;
  faults: Fault[];

  constructor(readonly options: ServerOptions) {
    this.faults = [...(options.faults ?? [])];
    for (const a of options.fixture.accounts) {
      const byRegion = new Map<string, Record<string, Obj[]>>();
      for (const r of a.regions) byRegion.set(r.region, r.resources);
      this.regions.set(a.accountId, byRegion);
    }
    const first = options.fixture.accounts[0]?.accountId ?? "111122223333";
    this.keys = new Map(Object.entries(options.accessKeys ?? { [TEST_ACCESS_KEY]: first }));
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this.url;
  }

  get url(): string {
    const address = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** Every service:Operation called, sorted. */
  operationSet(): string[] {
    return [...this.operations].sort();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ""));
    const target = req.headers["x-amz-target"];
    let service: string;
    let operation: string;
    let params: Obj;
    let protocol: "json" | "ec2" | "query";
    if (typeof target === "string") {
      const [prefix, op] = target.split(".");
      service = JSON_TARGETS[prefix ?? ""] ?? "unknown";
      operation = op ?? "";
      params = body ? (JSON.parse(body) as Obj) : {};
      protocol = "json";
    } else {
      const form = new URLSearchParams(body);
      operation = form.get("Action") ?? "";
      service = scope?.[3] ?? "unknown";
      params = Object.fromEntries(form.entries());
      protocol = service === "ec2" ? "ec2" : "query";
    }
    const region = scope?.[2] ?? "us-east-1";
    const account = this.keys.get(scope?.[1] ?? "") ?? "";
    const key = `${account}/${region}/${service}`;
    this.requests++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const n = (this.inFlightBy.get(key) ?? 0) + 1;
    this.inFlightBy.set(key, n);
    this.maxInFlightBy.set(key, Math.max(this.maxInFlightBy.get(key) ?? 0, n));
    this.operations.add(`${service}:${operation}`);
    this.calls.push({ service, operation, account, region, ...(this.options.recordParams === false ? {} : { params }) });
    try {
      if (this.options.latencyMs) await sleep(this.options.latencyMs);
      if (!account)
        throw new ApiError(
          protocol === "json" ? "UnrecognizedClientException" : "InvalidClientTokenId",
          "The security token included in the request is invalid.",
          403,
        );
      const fault = this.fault(service, operation, region, account, params);
      if (fault?.kind === "slow") await sleep(fault.delayMs ?? 1000);
      else if (fault?.kind === "signature-mismatch") throw signatureMismatch(req, body);
      else if (fault?.kind === "echo-credentials") throw echoedCredentials(req);
      else if (fault && !BODY_FAULTS.has(fault.kind)) throw faultError(fault.kind, service, operation, region, account);
      const result = this.dispatch(service, operation, params, account, region);
      if (fault && BODY_FAULTS.has(fault.kind)) await this.respondBadly(res, protocol, service, operation, result, fault);
      else this.respond(res, protocol, service, operation, result);
    } catch (err) {
      if (err instanceof ApiError) this.respondError(res, protocol, err);
      else this.respondError(res, protocol, new ApiError("InternalFailure", String((err as Error).message ?? err), 500));
    } finally {
      this.inFlight--;
      this.inFlightBy.set(key, this.inFlightBy.get(key)! - 1);
    }
  }

  private fault(service: string, operation: string, region: string, account: string, params: Obj): Fault | undefined {
    for (const f of this.faults) {
      if (f.service && f.service !== service) continue;
      if (f.operation && f.operation !== operation) continue;
      if (f.region && f.region !== region) continue;
      if (f.account && f.account !== account) continue;
      if (f.when && !f.when(params)) continue;
      if (f.firstAttempts !== undefined) {
        const key = JSON.stringify([service, operation, account, region, params]);
        const attempt = (this.attemptsSeen.get(key) ?? 0) + 1;
        this.attemptsSeen.set(key, attempt);
        if (attempt > f.firstAttempts) continue;
        return f;
      }
      const seen = (this.faultHits.get(f) ?? 0) + 1;
      this.faultHits.set(f, seen);
      if (f.every && seen % f.every !== 0) continue;
      const applied = f.every ? Math.floor(seen / f.every) : seen;
      if (f.count !== undefined && applied > f.count) continue;
      return f;
    }
    return undefined;
  }

  private resources(account: string, region: string, type: string): Obj[] {
    return this.regions.get(account)?.get(region)?.[type] ?? [];
  }

  private dispatch(service: string, operation: string, p: Obj, account: string, region: string): Obj {
    const r = (type: string) => this.resources(account, region, type);
    const handler = `${service}:${operation}`;
    switch (handler) {
      // ---- STS
      case "sts:GetCallerIdentity":
        return { UserId: "AROASAGEGATETEST:sagegate", Account: account, Arn: `arn:aws:sts::${account}:assumed-role/sagegate-readonly/sagegate` };
      case "sts:AssumeRole": {
        const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(.+)$/.exec(typeof p.RoleArn === "string" ? p.RoleArn : "");
        if (!m || !this.regions.has(m[1]!))
          throw new ApiError(
            "AccessDenied",
            `User: arn:aws:sts::${account}:assumed-role/ci/sagegate is not authorized to perform: sts:AssumeRole on resource: ${String(p.RoleArn)}`,
            403,
          );
        if (this.options.externalId !== undefined && p.ExternalId !== this.options.externalId) {
          throw new ApiError(
            "AccessDenied",
            `User: arn:aws:sts::${account}:assumed-role/ci/sagegate is not authorized to perform: sts:AssumeRole on resource: ${String(p.RoleArn)}`,
            403,
          );
        }
        const akid = `ASIA${m[1]}TEST`;
        this.keys.set(akid, m[1]!);
        return {
          Credentials: {
            AccessKeyId: akid,
            SecretAccessKey: this.options.assumedCredentials?.secretAccessKey ?? "sagegate-assumed-secret",
            SessionToken: this.options.assumedCredentials?.sessionToken ?? "sagegate-session-token",
            Expiration: new Date(Date.now() + 3600_000).toISOString(),
          },
          AssumedRoleUser: {
            AssumedRoleId: `AROASAGEGATE:${String(p.RoleSessionName)}`,
            Arn: `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${String(p.RoleSessionName)}`,
          },
        };
      }
      // ---- EC2
      case "ec2:DescribeRegions": {
        const regions = this.options.enabledRegions ?? [...new Set([...this.regions.values()].flatMap((m) => [...m.keys()]))].sort();
        return { Regions: regions.map((name) => ({ RegionName: name, Endpoint: `ec2.${name}.amazonaws.com`, OptInStatus: "opt-in-not-required" })) };
      }
      case "ec2:DescribeVpcs":
        return this.ec2Page(r("AWS::EC2::VPC"), p, "Vpcs");
      case "ec2:DescribeSubnets":
        return this.ec2Page(r("AWS::EC2::Subnet"), p, "Subnets");
      case "ec2:DescribeSecurityGroups":
        return this.ec2Page(r("AWS::EC2::SecurityGroup"), p, "SecurityGroups");
      // ---- ECR
      case "ecr:DescribeRepositories": {
        const repos = r("AWS::ECR::Repository").map((x) => omit(x, ["lifecyclePolicyText", "images"]));
        return this.page(repos, p, { token: "nextToken", limit: "maxResults", items: "repositories", max: 1000 });
      }
      case "ecr:GetLifecyclePolicy": {
        const repo = this.repo(account, region, p);
        if (typeof repo.lifecyclePolicyText !== "string") {
          throw new ApiError(
            "LifecyclePolicyNotFoundException",
            `Lifecycle policy does not exist for the repository with name '${String(p.repositoryName)}' in the registry with id '${account}'`,
          );
        }
        return { registryId: account, repositoryName: repo.repositoryName, lifecyclePolicyText: repo.lifecyclePolicyText };
      }
      case "ecr:DescribeImages": {
        const repo = this.repo(account, region, p);
        return this.page((repo.images as Obj[] | undefined) ?? [], p, {
          token: "nextToken",
          limit: "maxResults",
          items: "imageDetails",
          max: 1000,
          default: 100,
        });
      }
      // ---- SageMaker
      case "sagemaker:ListModelPackageGroups":
        return this.page(
          r("AWS::SageMaker::ModelPackageGroup").map((g) =>
            pick(g, ["ModelPackageGroupName", "ModelPackageGroupArn", "ModelPackageGroupDescription", "CreationTime", "ModelPackageGroupStatus"]),
          ),
          p,
          SM_PAGE("ModelPackageGroupSummaryList"),
        );
      case "sagemaker:DescribeModelPackageGroup": {
        const g = r("AWS::SageMaker::ModelPackageGroup").find((x) => x.ModelPackageGroupName === p.ModelPackageGroupName);
        if (!g) throw new ApiError("ValidationException", `ModelPackageGroup ${String(p.ModelPackageGroupName)} does not exist.`);
        return omit(g, ["ModelPackages"]);
      }
      case "sagemaker:ListModelPackages": {
        // Without a group name SageMaker lists unversioned packages only; the fixture has none.
        const g = r("AWS::SageMaker::ModelPackageGroup").find((x) => x.ModelPackageGroupName === p.ModelPackageGroupName);
        const packages = (g?.ModelPackages as Obj[] | undefined) ?? [];
        const summaries = packages.map((x) =>
          pick(x, [
            "ModelPackageArn",
            "ModelPackageName",
            "ModelPackageGroupName",
            "ModelPackageVersion",
            "ModelPackageDescription",
            "CreationTime",
            "ModelPackageStatus",
            "ModelApprovalStatus",
          ]),
        );
        return this.page(summaries, p, SM_PAGE("ModelPackageSummaryList"));
      }
      case "sagemaker:DescribeModelPackage": {
        for (const g of r("AWS::SageMaker::ModelPackageGroup")) {
          const found = ((g.ModelPackages as Obj[] | undefined) ?? []).find((x) => x.ModelPackageArn === p.ModelPackageName);
          if (found) return found;
        }
        throw new ApiError("ValidationException", `ModelPackage ${String(p.ModelPackageName)} does not exist.`);
      }
      case "sagemaker:ListTrainingJobs":
        return this.page(
          since(r("AWS::SageMaker::TrainingJob"), p).map((j) =>
            pick(j, ["TrainingJobName", "TrainingJobArn", "CreationTime", "TrainingEndTime", "LastModifiedTime", "TrainingJobStatus", "SecondaryStatus"]),
          ),
          p,
          SM_PAGE("TrainingJobSummaries"),
        );
      case "sagemaker:DescribeTrainingJob":
        return this.find(r("AWS::SageMaker::TrainingJob"), "TrainingJobName", p.TrainingJobName, "Requested resource not found.");
      case "sagemaker:ListProcessingJobs":
        return this.page(
          since(r("AWS::SageMaker::ProcessingJob"), p).map((j) =>
            pick(j, ["ProcessingJobName", "ProcessingJobArn", "CreationTime", "ProcessingEndTime", "LastModifiedTime", "ProcessingJobStatus"]),
          ),
          p,
          SM_PAGE("ProcessingJobSummaries"),
        );
      case "sagemaker:DescribeProcessingJob":
        return this.find(r("AWS::SageMaker::ProcessingJob"), "ProcessingJobName", p.ProcessingJobName, "Requested resource not found.");
      case "sagemaker:ListModels":
        return this.page(
          r("AWS::SageMaker::Model").map((m) => pick(m, ["ModelName", "ModelArn", "CreationTime"])),
          p,
          SM_PAGE("Models"),
        );
      case "sagemaker:DescribeModel":
        return this.find(
          r("AWS::SageMaker::Model"),
          "ModelName",
          p.ModelName,
          `Could not find model "arn:aws:sagemaker:${region}:${account}:model/${String(p.ModelName).toLowerCase()}".`,
        );
      case "sagemaker:ListEndpoints":
        return this.page(
          r("AWS::SageMaker::Endpoint").map((e) => pick(e, ["EndpointName", "EndpointArn", "CreationTime", "LastModifiedTime", "EndpointStatus"])),
          p,
          SM_PAGE("Endpoints"),
        );
      case "sagemaker:DescribeEndpoint":
        return omit(
          this.find(
            r("AWS::SageMaker::Endpoint"),
            "EndpointName",
            p.EndpointName,
            `Could not find endpoint "arn:aws:sagemaker:${region}:${account}:endpoint/${String(p.EndpointName).toLowerCase()}".`,
          ),
          ["EndpointConfig"],
        );
      case "sagemaker:DescribeEndpointConfig": {
        const config = r("AWS::SageMaker::Endpoint")
          .map((e) => e.EndpointConfig as Obj | undefined)
          .find((c) => c?.EndpointConfigName === p.EndpointConfigName);
        if (!config) {
          throw new ApiError(
            "ValidationException",
            `Could not find endpoint configuration "arn:aws:sagemaker:${region}:${account}:endpoint-config/${String(p.EndpointConfigName).toLowerCase()}".`,
          );
        }
        return config;
      }
      // ---- KMS
      case "kms:ListKeys": {
        const keys = this.kmsKeys(account, region).map((k) => ({ KeyId: k.KeyId, KeyArn: k.Arn }));
        return this.page(keys, p, { token: "Marker", limit: "Limit", items: "Keys", max: 1000, default: 100, outToken: "NextMarker", truncated: true });
      }
      case "kms:DescribeKey":
        return { KeyMetadata: omit(this.kmsKey(account, region, p.KeyId), ["Policy", "KeyRotationEnabled", "Aliases"]) };
      case "kms:GetKeyPolicy": {
        const key = this.kmsKey(account, region, p.KeyId);
        // Older endpoints and emulators answer NotFoundException when PolicyName is left out.
        if (p.PolicyName !== "default") throw new ApiError("NotFoundException", "No such policy exists");
        return { Policy: key.Policy, PolicyName: "default" };
      }
      case "kms:GetKeyRotationStatus": {
        const key = this.kmsKey(account, region, p.KeyId);
        if (typeof key.KeyRotationEnabled !== "boolean")
          throw new ApiError("UnsupportedOperationException", `${String(key.Arn)} key type is not supported for this operation.`);
        return { KeyRotationEnabled: key.KeyRotationEnabled, KeyId: key.Arn };
      }
      case "kms:ListAliases": {
        const aliases = this.kmsKeys(account, region).flatMap((k) => (k.Aliases as Obj[] | undefined) ?? []);
        if (this.options.awsManagedKms !== false)
          aliases.push({ AliasName: "alias/aws/sagemaker", AliasArn: `arn:aws:kms:${region}:${account}:alias/aws/sagemaker` });
        aliases.sort((a, b) => (String(a.AliasName) < String(b.AliasName) ? -1 : 1));
        return this.page(aliases, p, { token: "Marker", limit: "Limit", items: "Aliases", max: 100, default: 50, outToken: "NextMarker", truncated: true });
      }
      // ---- CloudWatch Logs
      case "logs:DescribeLogGroups": {
        const groups = [...r("AWS::Logs::LogGroup")].sort((a, b) => (String(a.logGroupName) < String(b.logGroupName) ? -1 : 1));
        return this.page(groups, p, { token: "nextToken", limit: "limit", items: "logGroups", max: 50, default: 50 });
      }
      default:
        throw new ApiError(service === "ec2" ? "InvalidAction" : "UnknownOperationException", `The action ${operation} is not valid for this web service.`);
    }
  }

  private find(list: Obj[], field: string, value: unknown, notFound: string): Obj {
    const found = list.find((x) => x[field] === value);
    if (!found) throw new ApiError("ValidationException", notFound);
    return found;
  }

  private repo(account: string, region: string, p: Obj): Obj {
    const repo = this.resources(account, region, "AWS::ECR::Repository").find((x) => x.repositoryName === p.repositoryName);
    if (!repo)
      throw new ApiError(
        "RepositoryNotFoundException",
        `The repository with name '${String(p.repositoryName)}' does not exist in the registry with id '${account}'`,
      );
    return repo;
  }

  private kmsKeys(account: string, region: string): Obj[] {
    const keys = [...this.resources(account, region, "AWS::KMS::Key")];
    if (this.options.awsManagedKms !== false) keys.push(awsManagedKey(account, region));
    return keys;
  }

  private kmsKey(account: string, region: string, id: unknown): Obj {
    const key = this.kmsKeys(account, region).find((k) => k.KeyId === id || k.Arn === id);
    if (!key) throw new ApiError("NotFoundException", `Key '${String(id)}' does not exist`);
    return key;
  }

  private ec2Page(items: Obj[], p: Obj, itemsKey: string): Obj {
    if (p.MaxResults !== undefined) {
      const n = Number(p.MaxResults);
      if (!(n >= 5 && n <= 1000))
        throw new ApiError(
          "InvalidParameterValue",
          `Value (${asText(p.MaxResults)}) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
        );
    }
    return this.page(items, p, { token: "NextToken", limit: "MaxResults", items: itemsKey, max: 1000, default: Infinity });
  }

  /** One page of `items`: real opaque tokens, the client's page size capped by maxPageSize. */
  private page(
    items: Obj[],
    p: Obj,
    o: { token: string; limit: string; items: string; max: number; default?: number; outToken?: string; truncated?: boolean },
  ): Obj {
    const asked = p[o.limit] === undefined ? (o.default ?? o.max) : Number(p[o.limit]);
    if (!(asked >= 1 && asked <= o.max)) throw new ApiError("ValidationException", `${o.limit} must be between 1 and ${o.max}`);
    const size = Math.min(asked, this.options.maxPageSize ?? Infinity);
    let offset = 0;
    if (p[o.token] !== undefined && p[o.token] !== "") offset = decodeToken(String(p[o.token]));
    const slice = items.slice(offset, offset + size);
    const out: Obj = { [o.items]: slice };
    const more = offset + size < items.length;
    if (more) out[o.outToken ?? o.token] = encodeToken(offset + size);
    if (o.truncated) out.Truncated = more;
    return out;
  }

  private respond(res: ServerResponse, protocol: "json" | "ec2" | "query", service: string, operation: string, result: Obj): void {
    const { contentType, body } = this.answer(protocol, service, operation, result);
    res.writeHead(200, { "content-type": contentType, "x-amzn-requestid": randomUUID(), "content-length": Buffer.byteLength(body) });
    res.end(body);
  }

  /** A 200 that is not an AWS answer, or the real answer delivered too slowly. */
  private async respondBadly(
    res: ServerResponse,
    protocol: "json" | "ec2" | "query",
    service: string,
    operation: string,
    result: Obj,
    fault: Fault,
  ): Promise<void> {
    const json = protocol === "json";
    const send = (contentType: string, body: string) => {
      res.writeHead(200, { "content-type": contentType, "x-amzn-requestid": randomUUID(), "content-length": Buffer.byteLength(body) });
      res.end(body);
    };
    switch (fault.kind) {
      case "empty-body":
        return send(json ? "application/x-amz-json-1.1" : "text/xml;charset=UTF-8", "");
      case "empty-object":
        return send(
          json ? "application/x-amz-json-1.1" : "text/xml;charset=UTF-8",
          json
            ? "{}"
            : `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${randomUUID()}</requestId></${operation}Response>`,
        );
      case "html":
        return send(
          "text/html; charset=utf-8",
          `<html><head><title>Service unavailable</title></head><body><h1>Service unavailable</h1><p>The proxy could not reach the upstream server.</p></body></html>`,
        );
      case "stall-after-headers":
      case "trickle": {
        const { contentType, body } = this.answer(protocol, service, operation, result);
        const bytes = Buffer.from(body, "utf8");
        res.writeHead(200, { "content-type": contentType, "x-amzn-requestid": randomUUID(), "content-length": bytes.length });
        res.flushHeaders();
        if (fault.kind === "stall-after-headers") {
          await sleep(fault.delayMs ?? 30_000);
          if (!res.destroyed) res.end(bytes);
          return;
        }
        for (const byte of bytes) {
          if (res.destroyed) return;
          res.write(Buffer.from([byte]));
          await sleep(fault.intervalMs ?? 100);
        }
        res.end();
        return;
      }
      default:
        throw new Error(`${fault.kind} is not a body fault`);
    }
  }

  /** The wire form of a successful answer. */
  private answer(protocol: "json" | "ec2" | "query", service: string, operation: string, result: Obj): { contentType: string; body: string } {
    const requestId = randomUUID();
    if (protocol === "json") return { contentType: "application/x-amz-json-1.1", body: JSON.stringify(toJsonWire(result, service)) };
    let xml: string;
    if (protocol === "ec2") {
      const inner = Object.entries(result)
        .map(([k, v]) => toXml(v, EC2_OUTPUT_NAMES[k] ?? lowerFirst(k), k))
        .join("");
      xml = `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${requestId}</requestId>${inner}</${operation}Response>`;
    } else {
      const inner = Object.entries(result)
        .map(([k, v]) => toQueryXml(v, k))
        .join("");
      xml = `<${operation}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${operation}Result>${inner}</${operation}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
    }
    return { contentType: "text/xml;charset=UTF-8", body: xml };
  }

  private respondError(res: ServerResponse, protocol: "json" | "ec2" | "query", err: ApiError): void {
    const requestId = randomUUID();
    if (protocol === "json") {
      const body = JSON.stringify({ __type: err.code, message: err.message });
      res.writeHead(err.status, {
        "content-type": "application/x-amz-json-1.1",
        "x-amzn-requestid": requestId,
        "x-amzn-errortype": err.code,
        "content-length": Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    const xml =
      protocol === "ec2"
        ? `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${esc(err.code)}</Code><Message>${esc(err.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`
        : `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${esc(err.code)}</Code><Message>${esc(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    res.writeHead(err.status, { "content-type": "text/xml;charset=UTF-8", "x-amzn-requestid": requestId, "content-length": Buffer.byteLength(xml) });
    res.end(xml);
  }
}

const BODY_FAULTS = new Set<FaultKind>(["empty-body", "empty-object", "html", "stall-after-headers", "trickle"]);

/**
 * An error that repeats what the request carried in running text, not as a named header (the
 * worst an echoing proxy or service can do): only the values themselves can be redacted.
 */
function echoedCredentials(req: IncomingMessage): ApiError {
  const key = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ""))?.[1] ?? "";
  const token = String(req.headers["x-amz-security-token"] ?? "");
  return new ApiError("InvalidClientTokenId", `The security token ${token} of key ${key} is not valid for this request.`, 403);
}

const SM_PAGE = (items: string) => ({ token: "NextToken", limit: "MaxResults", items, max: 100, default: 10 });

/**
 * What AWS answers to a request whose signature does not verify (query APIs and S3 do this): the
 * canonical request and string to sign in the message, which hold every signed header, the
 * session token included. Here the Authorization header is echoed too, the worst case.
 */
function signatureMismatch(req: IncomingMessage, body: string): ApiError {
  const headers = Object.entries(req.headers)
    .filter(([k]) => k.startsWith("x-amz-") || k === "host" || k === "authorization")
    .map(([k, v]) => `${k}:${String(v)}`)
    .join("\n");
  return new ApiError(
    "SignatureDoesNotMatch",
    `The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'POST\n/\n\n${headers}\n\n${body.slice(0, 200)}'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20261128T020000Z\n…'\nAuthorization: ${String(req.headers.authorization ?? "")}\nX-Amz-Security-Token: ${String(req.headers["x-amz-security-token"] ?? "")}`,
    403,
  );
}

function faultError(kind: FaultKind, service: string, operation: string, region: string, account: string): ApiError {
  const action = `${service === "logs" ? "logs" : service}:${operation}`;
  switch (kind) {
    case "throttle":
      if (service === "ec2") return new ApiError("RequestLimitExceeded", "Request limit exceeded.", 503);
      if (service === "sts") return new ApiError("Throttling", "Rate exceeded", 400);
      if (service === "kms")
        return new ApiError("ThrottlingException", "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.", 400);
      return new ApiError("ThrottlingException", "Rate exceeded", 400);
    case "server-error":
      if (service === "ec2") return new ApiError("InternalError", "An internal error has occurred", 500);
      if (service === "ecr") return new ApiError("ServerException", "Internal server error", 500);
      if (service === "kms") return new ApiError("KMSInternalException", "An internal error occurred", 500);
      return new ApiError("InternalFailure", "An internal error occurred", 500);
    case "access-denied": {
      const who = `arn:aws:sts::${account}:assumed-role/sagegate-readonly/sagegate`;
      if (service === "ec2")
        return new ApiError(
          "UnauthorizedOperation",
          `You are not authorized to perform this operation. User: ${who} is not authorized to perform: ${action}`,
          403,
        );
      return new ApiError(
        "AccessDeniedException",
        `User: ${who} is not authorized to perform: ${action} on resource: arn:aws:${service}:${region}:${account}:* because no identity-based policy allows the ${action} action`,
        400,
      );
    }
    case "not-found":
      return new ApiError("ValidationException", "Requested resource not found.", 400);
    case "region-disabled":
      // What an opt-in region that is not enabled for the account answers.
      if (service === "ec2") return new ApiError("AuthFailure", "AWS was not able to validate the provided access credentials", 401);
      return new ApiError("UnrecognizedClientException", "The security token included in the request is invalid.", 400);
    default:
      throw new Error(`${kind} is not built here`);
  }
}

function awsManagedKey(account: string, region: string): Obj {
  const id = "0000aaaa-aws0-4000-8000-00000000e8b5";
  return {
    KeyId: id,
    AWSAccountId: account,
    Arn: `arn:aws:kms:${region}:${account}:key/${id}`,
    CreationDate: "2024-01-01T00:00:00.000Z",
    Enabled: true,
    Description: "Default key that protects my EBS volumes when no other key is defined",
    KeyUsage: "ENCRYPT_DECRYPT",
    KeyState: "Enabled",
    Origin: "AWS_KMS",
    KeyManager: "AWS",
    KeySpec: "SYMMETRIC_DEFAULT",
    Policy: "{}",
    KeyRotationEnabled: true,
    Aliases: [{ AliasName: "alias/aws/ebs", AliasArn: `arn:aws:kms:${region}:${account}:alias/aws/ebs`, TargetKeyId: id }],
  };
}

/** Jobs changed after LastModifiedTimeAfter / created after CreationTimeAfter (epoch seconds on the wire). */
function since(jobs: Obj[], p: Obj): Obj[] {
  const after = (field: string, param: string) => (j: Obj) => p[param] === undefined || Date.parse(String(j[field])) / 1000 > Number(p[param]);
  return jobs.filter(after("LastModifiedTime", "LastModifiedTimeAfter")).filter(after("CreationTime", "CreationTimeAfter"));
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset, r: randomUUID().slice(0, 8) })).toString("base64url");
}

function decodeToken(token: string): number {
  try {
    const o = (JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown }).o;
    if (typeof o === "number" && o >= 0) return o;
  } catch {
    /* fall through */
  }
  throw new ApiError("InvalidNextTokenException", "The nextToken is invalid.");
}

/** JSON 1.1 wire form: SDK timestamps (ISO strings in the fixture) as epoch seconds. */
function toJsonWire(value: unknown, service: string): unknown {
  if (Array.isArray(value)) return value.map((v) => toJsonWire(v, service));
  if (value !== null && typeof value === "object") {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonWire(v, service);
    return out;
  }
  if (typeof value === "string" && ISO.test(value)) return Date.parse(value) / 1000;
  return value;
}

/** EC2 XML names that are not the member name with a lowercase first letter (from the EC2 model's locationNames). */
const EC2_NAMES: Record<string, string> = { Tags: "tagSet", UserIdGroupPairs: "groups", Geography: "geographySet", Endpoint: "regionEndpoint" };
const EC2_OUTPUT_NAMES: Record<string, string> = {
  SecurityGroups: "securityGroupInfo",
  Vpcs: "vpcSet",
  Subnets: "subnetSet",
  Regions: "regionInfo",
  NextToken: "nextToken",
};

function toXml(value: unknown, name: string, member: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return `<${name}/>`;
    // Items of SecurityGroups are SecurityGroup structures, whose Description is groupDescription.
    return `<${name}>${value.map((v) => toXml(v, "item", member === "SecurityGroups" ? "SecurityGroup" : "")).join("")}</${name}>`;
  }
  if (value !== null && typeof value === "object") {
    const inner = Object.entries(value)
      .map(([k, v]) => toXml(v, member === "SecurityGroup" && k === "Description" ? "groupDescription" : (EC2_NAMES[k] ?? lowerFirst(k)), k))
      .join("");
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${esc(String(value))}</${name}>`;
}

/** awsQuery (STS) XML: member names as they are, lists as <member>. */
function toQueryXml(value: unknown, name: string): string {
  if (Array.isArray(value)) return `<${name}>${value.map((v) => toQueryXml(v, "member")).join("")}</${name}>`;
  if (value !== null && typeof value === "object") {
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => toQueryXml(v, k))
      .join("")}</${name}>`;
  }
  return `<${name}>${esc(String(value))}</${name}>`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

function pick(o: Obj, keys: string[]): Obj {
  const out: Obj = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

function omit(o: Obj, keys: string[]): Obj {
  const out: Obj = { ...o };
  for (const k of keys) delete out[k];
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts a server on 127.0.0.1 with an ephemeral port. */
export async function startAwsServer(options: ServerOptions): Promise<AwsTestServer> {
  const server = new AwsTestServer(options);
  await server.start();
  return server;
}
