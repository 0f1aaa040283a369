// Preload for bench/profile.mjs: samples every allocation of the process (V8's sampling heap
// profiler with the objects later collected by minor and major GCs included, which node's own
// --heap-prof leaves out: it shows what is still alive, not what was allocated) and writes the
// profile to $SAGEGATE_HEAP_SAMPLE_FILE at exit.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";

const file = process.env.SAGEGATE_HEAP_SAMPLE_FILE;
if (file) {
  const session = new Session();
  session.connect();
  session.post("HeapProfiler.enable");
  session.post("HeapProfiler.startSampling", {
    samplingInterval: Number(process.env.SAGEGATE_HEAP_SAMPLE_INTERVAL ?? 32768),
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  // Same-thread inspector sessions answer synchronously, so this works in an exit handler.
  process.on("exit", () => {
    session.post("HeapProfiler.stopSampling", (err, result) => {
      if (!err) writeFileSync(file, JSON.stringify(result.profile));
    });
  });
}
