// Scope warnings in the reader's language: the terminal, the Markdown report and the gate's
// lines on standard error say it in Chinese; the JSON report keeps the English line.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_CONFIG, DEMO_SNAPSHOT, runCli, tempDir } from "../helpers.js";

function typoConfig(): string {
  const dir = tempDir();
  const file = join(dir, "sagegate.config.yaml");
  writeFileSync(file, readFileSync(DEMO_CONFIG, "utf8").replace(/^tagPrefix: .*$/m, "tagPrefix: gx_ml"));
  return file;
}

describe("scope warnings in Chinese", () => {
  it("names the empty area and what to check in Chinese, on the terminal and in Markdown; JSON keeps English", () => {
    const config = typoConfig();
    const table = runCli(["evaluate", DEMO_SNAPSHOT, "--config", config, "--lang", "zh-CN", "--fail-on", "none"], { env: { COLUMNS: "200" } });
    expect(table.code).toBe(3);
    expect(table.stderr).toMatch(
      /SG：没有名为 gx_ml-training\|processing\|inference\|studio\|vpc-endpoints 的安全组；SG001–SG0\d\d 未检查 \d+ 个安全组、\d+ 个 VPC：请检查 tagPrefix/,
    );
    const md = runCli(["evaluate", DEMO_SNAPSHOT, "--config", config, "--lang", "zh-CN", "--fail-on", "none", "-f", "markdown"]);
    expect(md.stdout).toContain("> 没有检查任何资源：SG：没有名为 gx_ml-training\\|processing\\|inference\\|studio\\|vpc-endpoints 的安全组"); // | escaped for the table syntax
    const json = JSON.parse(runCli(["evaluate", DEMO_SNAPSHOT, "--config", config, "--lang", "zh-CN", "--fail-on", "none", "-f", "json"]).stdout);
    const sg = json.coverage.warnings.find((w: { area?: string }) => w.area === "SG");
    expect(sg.message).toMatch(
      /^SG: no security group is named gx_ml-training\|processing\|inference\|studio\|vpc-endpoints; \d+ security groups and \d+ VPCs were not checked by SG001/,
    );
    expect(Object.keys(sg).sort()).toEqual(["area", "configKeys", "kind", "message"]);
  });
});
