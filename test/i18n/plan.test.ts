// A plan run in Chinese: unresolved checks, plan-time traffic and the "fix it in the file" line
// are in the reader's language; the causes (names of parameters, imports) stay as declared.
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers.js";

const PLAN = ["plan", "test/plan/templates/workloads.yaml", "--config", "fixtures/demo/sagegate.config.yaml", "--fail-on", "none"];

describe("sagegate plan --lang zh-CN", () => {
  it("words unresolved checks, unknown ports and the fix-in-code line in Chinese", () => {
    const zh = runCli([...PLAN, "--lang", "zh-CN", "--no-color"], { env: { COLUMNS: "200" } });
    expect(zh.code, zh.stderr).toBe(3); // incomplete: two checks are unresolved
    expect(zh.stdout).toContain("部署前无法确定：结果取决于 import shared-network-VpcId");
    expect(zh.stdout).toContain("端口在部署前未知的 TCP");
    expect(zh.stdout).toMatch(/#1 在 test\/plan\/templates\/workloads\.yaml:\d+ \(InferenceGroup\) 中修复/);
    expect(zh.stdout).not.toContain("not known before deploy: the outcome");
  });

  it("keeps the English wording, and no dangling colon where a declared resource has no command", () => {
    const en = runCli([...PLAN, "--no-color"], { env: { COLUMNS: "200" } });
    expect(en.stdout).toContain("not known before deploy: the outcome depends on import shared-network-VpcId");
    expect(en.stdout).toContain("TCP ports not known before deploy");
    expect(en.stdout).toMatch(/^ {2}#1 fix it in test\/plan\/templates\/workloads\.yaml:\d+ \(InferenceGroup\)$/m);
  });
});
