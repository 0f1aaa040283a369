// Rule pages and the README rule table are generated from the rule YAML; this fails when they
// are stale (run `npm run docs`).
import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { describe, expect, it } from "vitest";
import { generatedFiles, REPO_ROOT } from "../../src/docs/generate.js";

describe("generated documentation", () => {
  for (const file of generatedFiles()) {
    it(`${relative(REPO_ROOT, file.path)} is up to date (npm run docs)`, () => {
      expect(existsSync(file.path)).toBe(true);
      expect(readFileSync(file.path, "utf8")).toBe(file.content);
    });
  }
});
