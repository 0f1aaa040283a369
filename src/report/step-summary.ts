// GitHub Actions job summary: when GITHUB_STEP_SUMMARY names a file, the Markdown report is
// appended to it (the file is GitHub's; appending is its documented use).
import { appendFileSync } from "node:fs";
import { writeMarkdownReport } from "./markdown.js";
import type { Report } from "./model.js";
import { StringSink } from "./sink.js";

export function appendStepSummary(report: Report, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  const sink = new StringSink();
  // The Markdown report links absolutely (docsUrl), so it reads the same in a job summary.
  writeMarkdownReport(report, sink);
  appendFileSync(file, sink.text() + "\n");
  return true;
}
