// Runs the loopback AWS server (test/aws/server.ts, compiled to bench/out) in a worker thread,
// so the server and the collector under test each have a core. workerData: { latencyMs, and
// either size (one account, test/aws/synthetic.ts syntheticFixture) or org: { accounts, regions,
// size } (syntheticOrganisation: every account-region with that inventory) }.
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import { startAwsServer } from "./out/test/aws/server.js";
import { syntheticFixture, syntheticOrganisation } from "./out/test/aws/synthetic.js";

const { org } = workerData;
const server = await startAwsServer({
  fixture: org ? syntheticOrganisation(org.accounts, org.regions, org.size) : syntheticFixture(workerData.size),
  latencyMs: workerData.latencyMs,
  awsManagedKms: false,
  recordParams: false,
});
const elu = performance.eventLoopUtilization();
parentPort.postMessage({ url: server.url });
parentPort.on("message", async (msg) => {
  if (msg === "stats") {
    const byService = {};
    for (const c of server.calls) byService[c.service] = (byService[c.service] ?? 0) + 1;
    parentPort.postMessage({
      requests: server.requests,
      maxInFlight: server.maxInFlight,
      maxInFlightBy: Object.fromEntries(server.maxInFlightBy),
      byService,
      serverBusy: performance.eventLoopUtilization(elu).utilization,
    });
  } else if (msg === "stop") {
    await server.stop();
    process.exit(0);
  }
});
