// Helpers for tests that collect from the loopback AWS server with the real SDK clients.
import { readFileSync } from "node:fs";
import { afterEach } from "vitest";
import { collect, type CollectOptions, type CollectResult } from "../../src/collect/collect.js";
import { DEMO_SNAPSHOT } from "../helpers.js";
import { startAwsServer, TEST_ACCESS_KEY, TEST_SECRET_KEY, type AwsTestServer, type FixtureDoc, type ServerOptions } from "./server.js";

/** The demo snapshot, served as the AWS account it describes. */
export function demoFixture(): FixtureDoc & { collectedAt: string } {
  return JSON.parse(readFileSync(DEMO_SNAPSHOT, "utf8")) as FixtureDoc & { collectedAt: string };
}

/** The demo's SageMaker jobs are from November 2026: a window that holds all of them. */
export const DEMO_SINCE = new Date("2026-11-01T00:00:00Z");

const servers: AwsTestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

export async function server(options: Partial<ServerOptions> = {}): Promise<AwsTestServer> {
  const s = await startAwsServer({ fixture: demoFixture(), ...options });
  servers.push(s);
  return s;
}

/** Fast retries for tests: the SDK's delays scaled down a hundredfold. */
export const TEST_AWS = { retryDelayScale: 0.01, requestTimeoutMs: 5_000, connectTimeoutMs: 2_000 };

export function collectFrom(s: AwsTestServer, options: Partial<CollectOptions> = {}): Promise<CollectResult> {
  return collect({
    regions: ["eu-west-1", "us-east-1"],
    since: DEMO_SINCE,
    concurrency: 8,
    credentials: { accessKeyId: TEST_ACCESS_KEY, secretAccessKey: TEST_SECRET_KEY },
    now: () => new Date("2026-11-28T02:00:00.000Z"),
    ...options,
    aws: { ...TEST_AWS, endpoint: s.url, ...options.aws },
  });
}

/** Environment for the CLI against the server: static test credentials, no profile files, no instance metadata. */
export function cliEnv(s: AwsTestServer): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: s.url,
    AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: TEST_SECRET_KEY,
    AWS_SESSION_TOKEN: "",
    AWS_REGION: "eu-west-1",
    AWS_PROFILE: "",
    AWS_CONFIG_FILE: "/nonexistent/sagegate-test-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/sagegate-test-credentials",
    AWS_EC2_METADATA_DISABLED: "true",
    SAGEGATE_RETRY_DELAY_SCALE: "0.01",
  };
}
