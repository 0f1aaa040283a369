// Small pieces of the collector: the --since window, the concurrency limiter, the snapshot writer.
import { describe, expect, it } from "vitest";
import { Limiter } from "../../src/collect/limiter.js";
import { parseSince } from "../../src/collect/since.js";
import { errorInfo } from "../../src/collect/sdk.js";
import { roleArnsFor } from "../../src/collect/collect.js";
import { serializeSnapshot } from "../../src/snapshot/write.js";
import { UsageError } from "../../src/errors.js";
import { readJson } from "../helpers.js";
import { DEMO_CONFIG, DEMO_SNAPSHOT, ROOT, runCli } from "../helpers.js";
import { join } from "node:path";

describe("--since", () => {
  const now = new Date("2026-11-28T00:00:00Z");
  it("takes durations and ISO dates", () => {
    expect(parseSince("7d", now).toISOString()).toBe("2026-11-21T00:00:00.000Z");
    expect(parseSince("48h", now).toISOString()).toBe("2026-11-26T00:00:00.000Z");
    expect(parseSince("90m", now).toISOString()).toBe("2026-11-27T22:30:00.000Z");
    expect(parseSince("2w", now).toISOString()).toBe("2026-11-14T00:00:00.000Z");
    expect(parseSince("2026-11-01", now).toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(parseSince("2026-11-01T12:00:00Z", now).toISOString()).toBe("2026-11-01T12:00:00.000Z");
  });
  it("refuses anything else", () => {
    for (const bad of ["", "7", "seven days", "7y", "2026-13-45"]) expect(() => parseSince(bad, now)).toThrow(UsageError);
  });
});

describe("Limiter", () => {
  it("runs at most `max` tasks at once, in order, and releases slots on failure", async () => {
    const limiter = new Limiter(3);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (i: number) =>
      limiter.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 2));
        active--;
        order.push(i);
        if (i % 4 === 0) throw new Error("boom");
        return i;
      });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => task(i)));
    expect(peak).toBe(3);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(5);
    expect(await limiter.run(() => Promise.resolve("free"))).toBe("free");
  });
});

describe("snapshot writer", () => {
  it("writes exactly JSON.stringify(doc, null, 2) + newline, piece by piece", () => {
    const doc = readJson(DEMO_SNAPSHOT);
    let out = "";
    serializeSnapshot(doc, (c) => (out += c));
    expect(out).toBe(JSON.stringify(doc, null, 2) + "\n");
    const empty = {
      snapshotVersion: 1 as const,
      collectedAt: "2026-11-28T00:00:00.000Z",
      collector: { name: "sagegate", version: "0" },
      accounts: [{ accountId: "111122223333", regions: [{ region: "eu-west-1", resources: { "AWS::EC2::VPC": [] }, errors: [] }] }],
    };
    out = "";
    serializeSnapshot(empty, (c) => (out += c));
    expect(out).toBe(JSON.stringify(empty, null, 2) + "\n");
  });
});

describe("AWS errors and role ARNs", () => {
  it("keeps AWS's code and message only", () => {
    const err = Object.assign(new Error("Rate exceeded"), {
      name: "ThrottlingException",
      $metadata: { httpStatusCode: 400 },
      $response: { headers: { authorization: "AWS4-HMAC-SHA256 Credential=AKID…" } },
    });
    expect(errorInfo(err)).toEqual({ code: "ThrottlingException", message: "Rate exceeded" });
    expect(errorInfo(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }))).toEqual({
      code: "ECONNREFUSED",
      message: "connect ECONNREFUSED 127.0.0.1:1",
    });
  });
  it("builds role ARNs in the region's partition", () => {
    expect(roleArnsFor(["111122223333"], "sagegate-readonly", "eu-west-1")).toEqual(["arn:aws:iam::111122223333:role/sagegate-readonly"]);
    expect(roleArnsFor(["111122223333"], "path/sagegate", "cn-north-1")).toEqual(["arn:aws-cn:iam::111122223333:role/path/sagegate"]);
    expect(() => roleArnsFor(["1234"], "x", undefined)).toThrow(/12-digit/);
  });
});

describe("lazy SDK loading", () => {
  it("evaluate and validate never load the AWS SDK; collect does", () => {
    const env = { NODE_OPTIONS: `--import=${join(ROOT, "test/fixtures/forbid-aws-sdk.mjs")}` };
    expect(runCli(["evaluate", DEMO_SNAPSHOT, "--config", DEMO_CONFIG, "-f", "json", "--fail-on", "none"], { env }).code).toBe(0);
    expect(runCli(["validate", DEMO_SNAPSHOT], { env }).code).toBe(0);
    const collect = runCli(["collect", "--regions", "eu-west-1", "-o", "-"], { env: { ...env, AWS_EC2_METADATA_DISABLED: "true" } });
    expect(collect.stderr).toMatch(/AWS SDK loaded: @aws-sdk\/client-sts/);
  }, 30_000);
});

describe("SDK client configuration", () => {
  it("uses the SDK's adaptive retry mode with the configured attempts, scaled or not", async () => {
    const { ServiceModule, DEFAULT_AWS_SETTINGS } = await import("../../src/collect/sdk.js");
    const ecr = await ServiceModule.load("ecr");
    for (const retryDelayScale of [1, 0.01]) {
      const client = await ecr.client("eu-west-1", { accessKeyId: "AKID", secretAccessKey: "x" }, { ...DEFAULT_AWS_SETTINGS, maxAttempts: 5, retryDelayScale });
      const config = client.config as unknown as {
        retryStrategy: () => Promise<{ mode: string; maxAttemptsProvider: () => Promise<number> }>;
        requestHandler: { configProvider?: unknown };
      };
      const strategy = await config.retryStrategy();
      expect(strategy.mode).toBe("adaptive");
      expect(await strategy.maxAttemptsProvider()).toBe(5);
      client.destroy();
    }
  });
});

describe("plain", () => {
  it("stores outputs as JSON.stringify keeps them: no $metadata, ISO dates, no null members", async () => {
    const { plain } = await import("../../src/collect/sdk.js");
    expect(plain({ $metadata: { attempts: 1 }, a: new Date("2026-11-28T00:00:00Z"), b: undefined, c: null, d: [1, null], e: { f: null, g: 1 } })).toEqual({
      a: "2026-11-28T00:00:00.000Z",
      d: [1, null],
      e: { g: 1 },
    });
  });
});
