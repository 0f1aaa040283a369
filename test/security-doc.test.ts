// SECURITY.md's threat model must say what the code does and the tests check: the limits it
// quotes are the code's, and every test file it cites exists.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_DOCUMENT_BYTES } from "../src/io/files.js";
import { MAX_JSON_DEPTH } from "../src/io/json.js";
import { MAX_ALIAS_COUNT, MAX_YAML_DEPTH } from "../src/io/yaml.js";
import { MAX_RESOURCE_DEPTH, MAX_SNAPSHOT_BYTES } from "../src/snapshot/read.js";
import { ROOT } from "./helpers.js";

const doc = readFileSync(join(ROOT, "SECURITY.md"), "utf8");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");

describe("SECURITY.md", () => {
  it("cites test files that exist", () => {
    const cited = [...doc.matchAll(/`(test\/[^`]+)`/g)].map((m) => m[1]!);
    expect(cited.length).toBeGreaterThan(5);
    for (const path of cited) expect(existsSync(join(ROOT, path)), path).toBe(true);
  });

  it("quotes the limits the loaders enforce", () => {
    expect(doc).toContain(`nesting ≤ ${MAX_YAML_DEPTH}`);
    expect(doc).toContain(`/ ${MAX_RESOURCE_DEPTH} (resource)`);
    expect(doc).toContain(`nesting ≤ ${MAX_JSON_DEPTH}`);
    expect(doc).toContain(`alias expansion ≤ ${MAX_ALIAS_COUNT}`);
    expect(doc).toContain(`≤ ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`);
    expect(doc).toContain(`≤ ${Math.round(MAX_SNAPSHOT_BYTES / 1024 ** 3)} GiB`);
    expect(readme).toContain(`| config, rules, definitions, rule tests, waivers | ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB |`);
  });

  it("is linked from the README", () => {
    expect(readme).toContain("[SECURITY.md](SECURITY.md)");
  });
});
