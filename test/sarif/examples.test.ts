// The example workflows upload SARIF the way the README says: upload-sarif v4, one fixed
// category per account given to upload-sarif (not derived from the regions in the matrix), and
// sagegate's own --category left empty so that one takes effect.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../helpers.js";

describe("examples/github/nightly.yml", () => {
  const wf = parse(readFileSync(join(ROOT, "examples/github/nightly.yml"), "utf8"));
  const job = wf.jobs.scan;
  const steps: any[] = job.steps;

  it("uploads with upload-sarif v4, one category per account of the matrix", () => {
    const uploads = steps.filter((s) => typeof s.uses === "string" && s.uses.startsWith("github/codeql-action/upload-sarif"));
    expect(uploads.map((s) => s.uses)).toEqual(["github/codeql-action/upload-sarif@v4"]);
    const category: string = uploads[0].with.category;
    expect(category).toContain("${{ matrix.account }}");
    expect(category).not.toMatch(/matrix\.regions/);
    const accounts = job.strategy.matrix.include.map((m: any) => m.account);
    expect(new Set(accounts).size).toBe(accounts.length);
  });

  it("leaves sagegate's category empty (it would win over upload-sarif's) and keeps last night's report as the baseline", () => {
    const sagegate = steps.find((s) => typeof s.uses === "string" && s.uses.startsWith("sagegate/sagegate@"));
    expect(sagegate.with).not.toHaveProperty("category");
    expect(sagegate.with.baseline).toMatch(/steps\.baseline\.outputs\.report/);
    expect(sagegate.with["allow-incomplete"]).toBe("true");
  });
});
