// `collect` over many account-regions (issue 18): a bounded number of account-regions open at
// once, their SDK clients destroyed and released when each is done, one bound on the requests in
// flight over the whole run, and the same snapshot whatever the bounds.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_IN_FLIGHT, regionsAtOnce } from "../../src/collect/collect.js";
import type { SdkClient, ServiceName } from "../../src/collect/sdk.js";
import { addCollectOptions } from "../../src/cli/collect-options.js";
import { Command } from "@commander-js/extra-typings";
import { serializeSnapshot } from "../../src/snapshot/write.js";
import type { SnapshotFile } from "../../src/snapshot/types.js";
import { collectFrom, server } from "./harness.js";
import { syntheticOrganisation } from "./synthetic.js";

const REGIONS = ["eu-west-1", "us-east-1"];
const SIZE = { repositories: 6, logGroups: 8, securityGroups: 4, keys: 2, modelPackageGroups: 3, packagesPerGroup: 2, vpcs: 1 };
const ACCOUNTS = 3;
const ids = Array.from({ length: ACCOUNTS }, (_, a) => String(111100000000 + a * 1111));
const roleArns = ids.map((id) => `arn:aws:iam::${id}:role/sagegate-readonly`);
/** Clients of one account-region: ec2, ecr, sagemaker, kms, logs. */
const SERVICES_PER_REGION = 5;

function text(doc: SnapshotFile): string {
  let out = "";
  serializeSnapshot(doc, (chunk) => (out += chunk));
  return out;
}

/** Watches the collect's SDK clients: how many exist at once, and that each is destroyed exactly once. */
function clientWatch() {
  const live = new Set<SdkClient>();
  const destroyed = new Set<SdkClient>();
  const refs: Array<WeakRef<SdkClient>> = [];
  let maxLiveRegional = 0;
  const regional = () => [...live].filter((c) => kinds.get(c) !== "sts").length;
  const kinds = new WeakMap<SdkClient, ServiceName>();
  const problems: string[] = [];
  return {
    events: (event: "created" | "destroyed", service: ServiceName, client: SdkClient): void => {
      if (event === "created") {
        if (live.has(client) || destroyed.has(client)) problems.push(`${service} client reported created twice`);
        live.add(client);
        kinds.set(client, service);
        refs.push(new WeakRef(client));
        maxLiveRegional = Math.max(maxLiveRegional, regional());
      } else {
        if (!live.delete(client)) problems.push(`${service} client destroyed ${destroyed.has(client) ? "twice" : "without being created"}`);
        destroyed.add(client);
      }
    },
    get maxLiveRegional() {
      return maxLiveRegional;
    },
    get live() {
      return live.size;
    },
    get created() {
      return refs.length;
    },
    problems,
    /** Drops the strong references this watch holds, so only the collector could keep a client alive. */
    forget() {
      destroyed.clear();
      live.clear();
    },
    alive: () => refs.filter((r) => r.deref() !== undefined).length,
  };
}

/** A full garbage collection, finalising WeakRefs (they are cleared only after the current job). */
async function collectGarbage(): Promise<void> {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  await new Promise((resolve) => setImmediate(resolve));
}

describe("collect at organisation scale", () => {
  it("keeps only regionsAtOnce account-regions' SDK clients at a time and releases each when its account-region is done", async () => {
    const s = await server({ fixture: syntheticOrganisation(ACCOUNTS, REGIONS, SIZE), latencyMs: 2 });
    const watch = clientWatch();
    const { snapshot, stats } = await collectFrom(s, { regions: REGIONS, roleArns, regionsAtOnce: 2, clientEvents: watch.events });
    expect(stats.errors).toBe(0);
    expect(snapshot.accounts.map((a) => a.accountId)).toEqual(ids);
    expect(watch.problems).toEqual([]);
    // Six account-regions, two open at a time: never the clients of a third.
    expect(watch.maxLiveRegional).toBe(2 * SERVICES_PER_REGION);
    // Every client made (5 per account-region, STS for the caller and each account) is destroyed ...
    expect(watch.created).toBe(ACCOUNTS * REGIONS.length * SERVICES_PER_REGION + 1 + ACCOUNTS);
    expect(watch.live).toBe(0);
    // ... and nothing in the collector, the snapshot or the SDK's module state keeps one reachable.
    watch.forget();
    await collectGarbage();
    expect(watch.alive()).toBe(0);
  });

  it("opens every account-region at once when asked to, so the bound above is the collector's doing", async () => {
    const s = await server({ fixture: syntheticOrganisation(ACCOUNTS, REGIONS, SIZE), latencyMs: 2 });
    const watch = clientWatch();
    await collectFrom(s, { regions: REGIONS, roleArns, regionsAtOnce: 100, clientEvents: watch.events });
    expect(watch.maxLiveRegional).toBe(ACCOUNTS * REGIONS.length * SERVICES_PER_REGION);
  });

  it("never has more than maxInFlight requests in flight over the whole run, and reaches the bound", async () => {
    for (const maxInFlight of [1, 6]) {
      const s = await server({ fixture: syntheticOrganisation(ACCOUNTS, REGIONS, SIZE), latencyMs: 5 });
      const { stats } = await collectFrom(s, { regions: REGIONS, roleArns, concurrency: 4, maxInFlight });
      expect(stats.errors).toBe(0);
      expect(s.maxInFlight).toBe(maxInFlight);
      await s.stop();
    }
  });

  it("collects the same snapshot whatever the bounds: one request and one account-region at a time, or many", async () => {
    const fixture = syntheticOrganisation(ACCOUNTS, REGIONS, SIZE);
    const texts: string[] = [];
    for (const bounds of [
      { maxInFlight: 1, regionsAtOnce: 1 },
      { maxInFlight: 64, regionsAtOnce: 100 },
      { maxInFlight: 5, regionsAtOnce: 2 },
    ]) {
      const s = await server({ fixture, latencyMs: 1 });
      const { snapshot } = await collectFrom(s, { regions: REGIONS, roleArns, ...bounds });
      texts.push(text(snapshot));
      await s.stop();
    }
    expect(texts[1]).toBe(texts[0]);
    expect(texts[2]).toBe(texts[0]);
    const doc = JSON.parse(texts[0]!) as SnapshotFile;
    expect(doc.accounts.map((a) => a.regions.map((r) => r.region))).toEqual(ids.map(() => REGIONS));
    expect(doc.accounts[2]!.regions[1]!.resources["AWS::ECR::Repository"]).toHaveLength(SIZE.repositories);
  });

  it("identifies every account before collecting any, and a refused role stops the collect naming the first refused one", async () => {
    const s = await server({ fixture: syntheticOrganisation(ACCOUNTS, REGIONS, SIZE) });
    const refused = ["arn:aws:iam::999900000000:role/sagegate-readonly", "arn:aws:iam::999900001111:role/sagegate-readonly"];
    await expect(collectFrom(s, { regions: REGIONS, roleArns: [roleArns[0]!, ...refused] })).rejects.toThrow(
      /^cannot assume role arn:aws:iam::999900000000:role\/sagegate-readonly: AccessDenied/,
    );
    expect(s.calls.filter((c) => c.service !== "sts")).toEqual([]);
  });

  it("keeps enough account-regions open to fill the request slots, and --max-in-flight defaults to DEFAULT_MAX_IN_FLIGHT", () => {
    expect(regionsAtOnce(64, 8)).toBe(12);
    expect(regionsAtOnce(4, 8)).toBe(2);
    const cmd = addCollectOptions(new Command());
    expect(cmd.opts().maxInFlight).toBe(String(DEFAULT_MAX_IN_FLIGHT));
  });
});
