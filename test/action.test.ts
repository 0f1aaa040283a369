// The composite action and the example workflows: every action input reaches the CLI, every
// flag the action passes exists, and the examples only use the action's documented inputs.
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildProgram } from "../src/cli/main.js";
import { ROOT, tempDir } from "./helpers.js";

const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8"));
const runStep = action.runs.steps.find((s: any) => s.id === "run");
const script: string = runStep.run;

function optionsOf(command: string): Set<string> {
  const cmd = buildProgram().commands.find((c) => c.name() === command);
  return new Set((cmd?.options ?? []).flatMap((o) => [o.long, o.short].filter(Boolean) as string[]));
}

describe("action.yml", () => {
  it("is a composite action whose every input is passed to the run step and used by the script", () => {
    expect(action.runs.using).toBe("composite");
    for (const name of Object.keys(action.inputs)) {
      const envName = Object.entries(runStep.env).find(([, v]) => v === `\${{ inputs.${name} }}`)?.[0];
      expect(envName, `input ${name} is not passed to the script`).toBeDefined();
      expect(script, `input ${name} (${envName}) is not used`).toContain(`$${envName}`);
    }
  });

  it("never interpolates an expression into the script (inputs go through env)", () => {
    expect(script).not.toContain("${{");
  });

  it("passes only flags that sagegate evaluate, scan or plan accept", () => {
    const flags = [...script.matchAll(/(?<![\w-])(--[a-z][a-z-]+)/g)].map((m) => m[1]!);
    const known = new Set([...optionsOf("evaluate"), ...optionsOf("scan"), ...optionsOf("plan")]);
    const scanOnly = new Set(["--regions", "--snapshot-out"]);
    for (const flag of new Set(flags)) {
      if (["--prefix", "--no-audit", "--no-fund", "--loglevel"].includes(flag)) continue; // npm's
      if (scanOnly.has(flag) && !buildProgram().commands.some((c) => c.name() === "scan")) continue;
      expect(known.has(flag), `${flag} is not a sagegate option`).toBe(true);
    }
  });

  it("builds sagegate once per version: restores a cached build and only builds (and saves) on a miss", () => {
    const steps: any[] = action.runs.steps;
    const at = (pred: (s: any) => boolean) => steps.findIndex(pred);
    const locate = at((s) => s.id === "build");
    const restore = at((s) => s.uses === "actions/cache/restore@v4");
    const build = at((s) => typeof s.run === "string" && s.run.includes("npm ci"));
    const save = at((s) => s.uses === "actions/cache/save@v4");
    const run = at((s) => s.id === "run");
    expect([locate, restore, build, save, run].every((i) => i >= 0)).toBe(true);
    expect(locate < restore && restore < build && build < save && save < run).toBe(true);
    expect(steps[restore].id).toBe("restore");
    for (const i of [build, save]) expect(steps[i].if).toBe("steps.restore.outputs.cache-hit != 'true'");
    for (const i of [restore, save]) {
      expect(steps[i].with.key).toBe("${{ steps.build.outputs.key }}");
      expect(steps[i].with.path.trim().split("\n")).toEqual(["${{ steps.build.outputs.dir }}/dist", "${{ steps.build.outputs.dir }}/node_modules"]);
    }
    // No other step compiles anything.
    expect(steps.filter((s) => typeof s.run === "string" && /npm (ci|install|run build)|\btsc\b/.test(s.run))).toHaveLength(1);
  });

  it("keys the build on what the build reads: the same sources give the same key, a changed source a new one", () => {
    const script: string = action.runs.steps.find((s: any) => s.id === "build").run;
    expect(script).not.toContain("${{");
    const copy = tempDir();
    for (const f of ["package.json", "package-lock.json", "tsconfig.json", "src", "rules", "schemas"])
      cpSync(join(ROOT, f), join(copy, f), { recursive: true });
    const keyOf = () => {
      const out = join(tempDir(), "output");
      writeFileSync(out, "");
      const r = spawnSync("bash", ["-c", script], {
        env: { ...process.env, GITHUB_ACTION_PATH: copy, GITHUB_OUTPUT: out, RUNNER_OS: "Linux", RUNNER_ARCH: "X64" },
        encoding: "utf8",
      });
      expect(r.status, r.stderr).toBe(0);
      const lines = readFileSync(out, "utf8").trim().split("\n");
      expect(lines[0]).toBe(`dir=${copy}`);
      return lines[1]!;
    };
    const first = keyOf();
    expect(first).toMatch(/^key=sagegate-build-Linux-X64-node\d+-[0-9a-f]{20}$/);
    expect(keyOf()).toBe(first);
    writeFileSync(join(copy, "README.md"), "not part of the build\n");
    expect(keyOf()).toBe(first);
    writeFileSync(join(copy, "rules/ecr/ECR001.yaml"), readFileSync(join(copy, "rules/ecr/ECR001.yaml"), "utf8") + "\n");
    expect(keyOf()).not.toBe(first);
  });

  it("declares the outputs the script writes", () => {
    for (const name of ["exit-code", "json-report", "sarif-report", "failed", "errors", "waived", "passed", "unresolved", "new", "fixed"]) {
      expect(action.outputs[name]?.value).toBe(`\${{ steps.run.outputs.${name} }}`);
    }
  });
});

describe("example workflows", () => {
  for (const file of ["examples/github/nightly.yml", "examples/github/predeploy.yml"]) {
    it(`${file} is valid YAML that calls only the action with documented inputs, least privilege`, () => {
      const wf = parse(readFileSync(join(ROOT, file), "utf8"));
      const perms = Object.keys(wf.permissions ?? {});
      expect(perms.every((p) => ["contents", "security-events", "id-token", "actions"].includes(p))).toBe(true);
      expect(wf.permissions.contents).toBe("read");
      // Least privilege: write only where it is used (SARIF upload, OIDC), and never at job level.
      for (const [scope, level] of Object.entries<string>(wf.permissions)) {
        expect(level === "read" || (level === "write" && ["security-events", "id-token"].includes(scope)), `${scope}: ${level}`).toBe(true);
      }
      const allSteps = Object.values<any>(wf.jobs).flatMap((j) => j.steps ?? []);
      const uploadsSarif = allSteps.some((st) => typeof st.uses === "string" && st.uses.startsWith("github/codeql-action/upload-sarif"));
      expect(wf.permissions["security-events"] === "write").toBe(uploadsSarif);
      const usesOidc = allSteps.some((st) => typeof st.uses === "string" && st.uses.startsWith("aws-actions/configure-aws-credentials"));
      expect(wf.permissions["id-token"] === "write").toBe(usesOidc);
      for (const job of Object.values<any>(wf.jobs)) expect(job.permissions, "job-level permissions widen the workflow's").toBeUndefined();
      const steps = Object.values<any>(wf.jobs).flatMap((j) => j.steps ?? []);
      // GitHub deprecates v3 of the CodeQL actions in December 2026.
      for (const st of allSteps.filter((x) => typeof x.uses === "string" && x.uses.startsWith("github/codeql-action/"))) expect(st.uses).toMatch(/@v4$/);
      const sagegate = steps.filter((s) => typeof s.uses === "string" && s.uses.startsWith("sagegate/sagegate@"));
      expect(sagegate.length).toBeGreaterThan(0);
      for (const s of sagegate) for (const key of Object.keys(s.with ?? {})) expect(Object.keys(action.inputs)).toContain(key);
      expect(steps.some((s) => typeof s.run === "string" && /\bsagegate\s+(evaluate|scan|collect)/.test(s.run))).toBe(false);
    });
  }
});
