// Runs the loopback AWS server (test/aws/server.ts, compiled to bench/out) in a worker thread,
// so the server and the collector under test each have a core.
import { parentPort, workerData } from "node:worker_threads";
import { startAwsServer } from "./out/test/aws/server.js";
import { syntheticFixture } from "./out/test/aws/synthetic.js";

const server = await startAwsServer({
  fixture: syntheticFixture(workerData.size),
  latencyMs: workerData.latencyMs,
  awsManagedKms: false,
  recordParams: false,
});
parentPort.postMessage({ url: server.url });
parentPort.on("message", async (msg) => {
  if (msg === "stats") {
    const byService = {};
    for (const c of server.calls) byService[c.service] = (byService[c.service] ?? 0) + 1;
    parentPort.postMessage({ requests: server.requests, maxInFlight: Object.fromEntries(server.maxInFlightBy), byService });
  } else if (msg === "stop") {
    await server.stop();
    process.exit(0);
  }
});
