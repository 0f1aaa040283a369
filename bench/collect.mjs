// Collect speed against the loopback AWS server with added latency per request: one large account
// (issue 6), and an organisation of many account-regions through --accounts/--role-name with STS
// AssumeRole (issue 18).
//
//   npm run bench:collect [-- --only account|org] [--latency 20] [--no-readme]
//     one account:   [--concurrency 16] [--repos 10000] [--images 1] [--log-groups 20000] [--sgs 2000]
//     organisation:  [--accounts 25] [--regions-per-account 4] [--org-concurrency 8]
//                    [--max-in-flight 16,32,64] (one run each) [--small-accounts 5] (the RSS check)
//                    [--cpu-prof DIR] (a CPU profile of each collect process)
//
// The server (bench/aws-server-worker.mjs) runs in a worker thread of this process and serves a
// generated inventory (test/aws/synthetic.ts). The one-account run calls the built collector
// (dist/collect) in this process. The organisation runs are the CLI as a user runs it — a child
// process `sagegate collect --accounts … --role-name … --regions …` — timed by its own summary
// line (from the first STS call to the last answer) with its peak RSS from /usr/bin/time.
//
// The ideal time is API calls × latency ÷ the requests that may be in flight at once: for the one
// account --concurrency (its ECR calls are 98% of the work, in one service), for the organisation
// --max-in-flight (the bound over the whole run). It is what a perfectly packed pipeline would take.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { collect } from "../dist/collect/collect.js";
import { writeSnapshotFile } from "../dist/snapshot/write.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
process.chdir(ROOT);
const { values: args } = parseArgs({
  options: {
    only: { type: "string" },
    latency: { type: "string", default: "20" },
    "no-readme": { type: "boolean", default: false },
    concurrency: { type: "string", default: "16" },
    repos: { type: "string", default: "10000" },
    images: { type: "string", default: "1" },
    "log-groups": { type: "string", default: "20000" },
    sgs: { type: "string", default: "2000" },
    accounts: { type: "string", default: "25" },
    "regions-per-account": { type: "string", default: "4" },
    "org-concurrency": { type: "string", default: "8" },
    "max-in-flight": { type: "string", default: "16,32,64" },
    "small-accounts": { type: "string", default: "5" },
    "cpu-prof": { type: "string" },
  },
});
const latencyMs = Number(args.latency);
const REGIONS = ["eu-west-1", "us-east-1", "eu-central-1", "us-west-2", "ap-southeast-1", "ap-northeast-1", "eu-north-1", "us-east-2"];
/** One account-region of the organisation: 263 resources, 239 API calls (a few hundred of each). */
const ORG_REGION = {
  repositories: 40,
  imagesPerRepository: 2,
  logGroups: 120,
  securityGroups: 60,
  keys: 15,
  modelPackageGroups: 20,
  packagesPerGroup: 3,
  vpcs: 2,
  subnetsPerVpc: 3,
};
const mb = (n) => `${(n / 2 ** 20).toFixed(0)} MiB`;
const s1 = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function startServer(workerData) {
  const worker = new Worker(new URL("./aws-server-worker.mjs", import.meta.url), { workerData: { ...workerData, latencyMs } });
  const { url } = await new Promise((resolve) => worker.once("message", resolve));
  return {
    url,
    async stats() {
      worker.postMessage("stats");
      return new Promise((resolve) => worker.once("message", resolve));
    },
    stop: () => worker.postMessage("stop"),
  };
}

// ---------------------------------------------------------------------------------------------
// One account, in this process (issue 6)

async function oneAccount() {
  const concurrency = Number(args.concurrency);
  const size = {
    repositories: Number(args.repos),
    imagesPerRepository: Number(args.images),
    logGroups: Number(args["log-groups"]),
    securityGroups: Number(args.sgs),
  };
  const server = await startServer({ size });
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
    aws: { endpoint: server.url },
  });
  const collectedMs = performance.now() - started;
  mkdirSync("bench/out", { recursive: true });
  const file = "bench/out/bench-snapshot.json";
  await writeSnapshotFile(file, result.snapshot);
  const totalMs = performance.now() - started;
  sample();
  clearInterval(sampler);
  const served = await server.stats();
  server.stop();
  const { stats } = result;
  const idealMs = (stats.calls * latencyMs) / concurrency;
  console.log(
    `one account: ${size.repositories} ECR repositories, ${size.logGroups} log groups, ${size.securityGroups} security groups; ${latencyMs} ms per request; concurrency ${concurrency}`,
  );
  console.log(`  resources: ${stats.resources}   errors: ${stats.errors}   retries: ${stats.retries}`);
  console.log(
    `  API calls: ${stats.calls} (server saw ${served.requests}: ${Object.entries(served.byService)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")})`,
  );
  console.log(`  wall time: collect ${s1(collectedMs)}, with writing the snapshot ${s1(totalMs)}`);
  console.log(`  ideal (calls × ${latencyMs} ms ÷ ${concurrency}): ${s1(idealMs)}   ratio: ${(collectedMs / idealMs).toFixed(2)}×`);
  console.log(`  peak memory: RSS ${mb(peakRss)}, heap ${mb(peakHeap)}; snapshot file ${mb(statSync(file).size)}`);
  return { ok: stats.errors === 0 };
}

// ---------------------------------------------------------------------------------------------
// An organisation, through the CLI (issue 18)

function runCli(argv, env) {
  return new Promise((resolve) => {
    const rssFile = `bench/out/org-rss-${process.pid}`;
    const useTime = existsSync("/usr/bin/time");
    const [cmd, full] = useTime
      ? ["/usr/bin/time", ["-f", "%M %U %S", "-o", rssFile, process.execPath, ...argv]]
      : [process.execPath, ["--import", "./bench/rss-reporter.mjs", ...argv]];
    const started = performance.now();
    const child = spawn(cmd, full, { env: { ...process.env, ...env, SAGEGATE_BENCH_RSS_FILE: rssFile }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      // "peak KiB [user s system s]" (/usr/bin/time) or "peak KiB" (rss-reporter.mjs)
      let fields = [];
      try {
        fields = readFileSync(rssFile, "utf8").trim().split("\n").pop().split(" ").map(Number);
      } catch {}
      rmSync(rssFile, { force: true });
      const cpuMs = fields.length >= 3 ? (fields[1] + fields[2]) * 1000 : NaN;
      resolve({ code, stderr, wallMs, rssBytes: (fields[0] ?? NaN) * 1024, cpuMs });
    });
  });
}

async function organisation(accounts, regionCount, concurrency, maxInFlight) {
  const regions = REGIONS.slice(0, regionCount);
  const server = await startServer({ org: { accounts, regions, size: ORG_REGION } });
  const ids = Array.from({ length: accounts }, (_, a) => String(111100000000 + a * 1111));
  const out = "bench/out/org-snapshot.json";
  const env = {
    AWS_ENDPOINT_URL: server.url,
    AWS_ACCESS_KEY_ID: "AKIDSAGEGATETEST",
    AWS_SECRET_ACCESS_KEY: "sagegate-test-secret",
    AWS_SESSION_TOKEN: "",
    AWS_REGION: regions[0],
    AWS_PROFILE: "",
    AWS_CONFIG_FILE: "/nonexistent/sagegate-bench-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/sagegate-bench-credentials",
    AWS_EC2_METADATA_DISABLED: "true",
  };
  const argv = [
    ...(args["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${args["cpu-prof"]}`] : []),
    "dist/cli/main.js",
    "collect",
    "--accounts",
    ids.join(","),
    "--role-name",
    "sagegate-readonly",
    "--regions",
    regions.join(","),
    "--concurrency",
    String(concurrency),
    "--max-in-flight",
    String(maxInFlight),
    "--output",
    out,
  ];
  const r = await runCli(argv, env);
  const served = await server.stats();
  server.stop();
  // "sagegate: collected N resources from A accounts and R regions: C API calls, T retries, E errors in S s"
  const m = /collected (\d+) resources? from (\d+) accounts? and (\d+) regions?: (\d+) API calls?, (\d+) retr(?:y|ies), (\d+) errors? in ([\d.]+) s/.exec(
    r.stderr,
  );
  const problems = [];
  if (r.code !== 0) problems.push(`exit ${r.code}: ${r.stderr.trim().split("\n").pop()}`);
  if (!m) problems.push(`no summary line: ${r.stderr.slice(0, 300)}`);
  const expectedResources = accounts * regionCount * Object.values(countResources()).reduce((a, b) => a + b, 0);
  const snapshot = existsSync(out) ? JSON.parse(readFileSync(out, "utf8")) : undefined;
  const collected = snapshot?.accounts.reduce(
    (n, a) => n + a.regions.reduce((k, reg) => k + Object.values(reg.resources).reduce((x, l) => x + l.length, 0), 0),
    0,
  );
  if (collected !== expectedResources) problems.push(`snapshot holds ${collected} resources, expected ${expectedResources}`);
  if (snapshot && snapshot.accounts.length !== accounts) problems.push(`snapshot holds ${snapshot.accounts.length} accounts, expected ${accounts}`);
  const bytes = existsSync(out) ? statSync(out).size : 0;
  rmSync(out, { force: true });
  const collectMs = m ? Number(m[7]) * 1000 : NaN;
  const idealMs = (served.requests * latencyMs) / maxInFlight;
  return {
    accounts,
    regionCount,
    accountRegions: accounts * regionCount,
    concurrency,
    maxInFlight,
    resources: m ? Number(m[1]) : NaN,
    calls: m ? Number(m[4]) : NaN,
    requests: served.requests,
    retries: m ? Number(m[5]) : NaN,
    errors: m ? Number(m[6]) : NaN,
    collectMs,
    wallMs: r.wallMs,
    idealMs,
    ratio: collectMs / idealMs,
    rssBytes: r.rssBytes,
    cpuMs: r.cpuMs,
    maxInFlightSeen: served.maxInFlight,
    serverBusy: served.serverBusy,
    snapshotBytes: bytes,
    problems,
  };
}

/** Resources of one account-region of ORG_REGION, by the fixture's own construction. */
function countResources() {
  const z = ORG_REGION;
  return {
    repositories: z.repositories,
    logGroups: z.logGroups,
    securityGroups: z.securityGroups,
    keys: z.keys,
    groups: z.modelPackageGroups,
    vpcs: z.vpcs,
    subnets: z.vpcs * z.subnetsPerVpc,
  };
}

// ---------------------------------------------------------------------------------------------

const startedAt = new Date();
const loadBefore = loadavg()[0];
let ok = true;
if (args.only !== "org") ok = (await oneAccount()).ok && ok;
const orgRows = [];
if (args.only !== "account") {
  const accounts = Number(args.accounts);
  const regionCount = Number(args["regions-per-account"]);
  const concurrency = Number(args["org-concurrency"]);
  const bounds = args["max-in-flight"].split(",").map(Number);
  const runs = [...bounds.map((g) => [accounts, g]), [Number(args["small-accounts"]), bounds[Math.min(1, bounds.length - 1)]]];
  for (const [n, g] of runs) {
    console.log(
      `\norganisation: ${n} accounts × ${regionCount} regions, concurrency ${concurrency} per service, --max-in-flight ${g}, ${latencyMs} ms per request …`,
    );
    const row = await organisation(n, regionCount, concurrency, g);
    console.log(
      `  ${row.resources} resources, ${row.calls} API calls (${row.requests} requests with AssumeRole), ${row.retries} retries, ${row.errors} errors; collect ${s1(row.collectMs)} (process ${s1(row.wallMs)}); ideal ${s1(row.idealMs)}; ratio ${row.ratio.toFixed(2)}×; peak RSS ${mb(row.rssBytes)}; collector CPU ${s1(row.cpuMs)} (${(row.cpuMs / row.requests).toFixed(2)} ms per request); at most ${row.maxInFlightSeen} requests in flight; server event loop busy ${(100 * row.serverBusy).toFixed(0)}%`,
    );
    for (const p of row.problems) console.log(`  PROBLEM ${p}`);
    ok = ok && row.problems.length === 0 && row.errors === 0;
    orgRows.push(row);
  }
}
const loadAfter = loadavg()[0];

if (orgRows.length > 0) {
  const cpuModel = readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.*)$/m)?.[1] ?? cpus()[0]?.model ?? "unknown";
  const machine = `${cpus().length} CPUs, ${cpuModel}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}; load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`;
  const lines = [
    `Measured ${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine}. ${latencyMs} ms added to every request; ${orgRows[0].concurrency} requests per service, account and region (\`--concurrency\`); one account-region = ${Object.values(countResources()).reduce((a, b) => a + b, 0)} resources.`,
    "",
    "| account-regions | `--max-in-flight` | resources | API calls (+ AssumeRole) | collect | ideal (requests × latency ÷ max in flight) | ratio | most in flight | collector CPU (per request) | peak RSS | snapshot |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...orgRows.map(
      (r) =>
        `| ${r.accountRegions} (${r.accounts} × ${r.regionCount}) | ${r.maxInFlight} | ${r.resources.toLocaleString("en-US")} | ${r.calls.toLocaleString("en-US")} (${r.requests.toLocaleString("en-US")}) | ${s1(r.collectMs)} | ${s1(r.idealMs)} | ${r.ratio.toFixed(2)}× | ${r.maxInFlightSeen} | ${s1(r.cpuMs)} (${(r.cpuMs / r.requests).toFixed(2)} ms) | ${mb(r.rssBytes)} | ${mb(r.snapshotBytes)} |`,
    ),
  ];
  const table = lines.join("\n");
  console.log(`\n${table}`);
  if (!args["no-readme"]) {
    const readme = readFileSync("bench/README.md", "utf8");
    const start = "<!-- collect:start (written by npm run bench:collect) -->";
    const end = "<!-- collect:end -->";
    const from = readme.indexOf(start);
    const to = readme.indexOf(end);
    if (from < 0 || to < from) {
      console.error("bench/README.md lost its collect markers");
      process.exit(2);
    }
    writeFileSync("bench/README.md", `${readme.slice(0, from + start.length)}\n${table}\n${readme.slice(to)}`);
    console.log("\nwrote the table to bench/README.md");
  }
}
process.exitCode = ok ? 0 : 1;
