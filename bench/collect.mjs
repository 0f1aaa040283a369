// Collect speed against the loopback AWS server with added latency per request.
//
//   npm run bench:collect [-- --concurrency 16 --latency 20 --repos 10000 --log-groups 20000 --sgs 2000]
//
// The server (bench/aws-server-worker.mjs) runs in a worker thread and serves a generated
// inventory: ECR repositories (each needing GetLifecyclePolicy and DescribeImages), log groups
// and security groups. The collector is the built one (dist/), with the real SDK clients. The
// ideal time is API calls × latency ÷ concurrency: what a perfectly packed pipeline would take.
import { Worker } from "node:worker_threads";
import { statSync, mkdirSync } from "node:fs";
import { collect } from "../dist/collect/collect.js";
import { writeSnapshotFile } from "../dist/snapshot/write.js";

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const concurrency = arg("concurrency", 16);
const latencyMs = arg("latency", 20);
const size = {
  repositories: arg("repos", 10_000),
  imagesPerRepository: arg("images", 1),
  logGroups: arg("log-groups", 20_000),
  securityGroups: arg("sgs", 2_000),
};

const worker = new Worker(new URL("./aws-server-worker.mjs", import.meta.url), { workerData: { size, latencyMs } });
const { url } = await new Promise((resolve) => worker.once("message", resolve));

let peakRss = 0;
let peakHeap = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
};
const sampler = setInterval(sample, 50);

const started = performance.now();
const result = await collect({
  regions: ["eu-west-1"],
  since: new Date("2026-01-01T00:00:00Z"),
  concurrency,
  credentials: { accessKeyId: "AKIDSAGEGATETEST", secretAccessKey: "sagegate-test-secret" },
  aws: { endpoint: url },
});
const collectedMs = performance.now() - started;
mkdirSync(new URL("./out/", import.meta.url), { recursive: true });
const file = new URL("./out/bench-snapshot.json", import.meta.url).pathname;
await writeSnapshotFile(file, result.snapshot);
const totalMs = performance.now() - started;
sample();
clearInterval(sampler);

worker.postMessage("stats");
const server = await new Promise((resolve) => worker.once("message", resolve));
worker.postMessage("stop");

const { stats } = result;
const idealMs = (stats.calls * latencyMs) / concurrency;
const mb = (n) => `${(n / 1024 / 1024).toFixed(0)} MB`;
console.log(
  `inventory: ${size.repositories} ECR repositories, ${size.logGroups} log groups, ${size.securityGroups} security groups; ${latencyMs} ms per request; concurrency ${concurrency}`,
);
console.log(`resources: ${stats.resources}   errors: ${stats.errors}   retries: ${stats.retries}`);
console.log(
  `API calls: ${stats.calls} (server saw ${server.requests}: ${Object.entries(server.byService)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ")})`,
);
console.log(`wall time: collect ${(collectedMs / 1000).toFixed(1)} s, with writing the snapshot ${(totalMs / 1000).toFixed(1)} s`);
console.log(`ideal (calls × ${latencyMs} ms ÷ ${concurrency}): ${(idealMs / 1000).toFixed(1)} s   ratio: ${(collectedMs / idealMs).toFixed(2)}×`);
console.log(`peak memory: RSS ${mb(peakRss)}, heap ${mb(peakHeap)}; snapshot file ${mb(statSync(file).size)}`);
console.log(
  `max requests in flight per service: ${Object.entries(server.maxInFlight)
    .map(([k, v]) => `${k.split("/").pop()} ${v}`)
    .join(", ")}`,
);
if (stats.errors > 0) process.exitCode = 1;
