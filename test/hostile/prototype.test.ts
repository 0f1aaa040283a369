// "__proto__", "constructor" and "prototype" keys, anywhere sagegate reads them, stay plain keys:
// Object.prototype is never touched, and no object gets another prototype.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/config.js";
import { isSagegateError } from "../../src/errors.js";
import { parseWaivers, waiverMatches } from "../../src/gate/waivers.js";
import { loadBaseline } from "../../src/gate/baseline.js";
import { parseYaml } from "../../src/io/yaml.js";
import { ConfigError } from "../../src/errors.js";
import { mergeSnapshots } from "../../src/snapshot/merge.js";
import { readSnapshotFile, snapshotFromObject, validateAllResources } from "../../src/snapshot/read.js";
import { DEMO_SNAPSHOT, tempDir } from "../helpers.js";
import { readFileSync } from "node:fs";

const KEYS = ["__proto__", "constructor", "prototype"];

function expectUnpolluted(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
}

afterEach(expectUnpolluted);

/** Loads and ignores a typed refusal: what matters here is what the attempt did to prototypes. */
function attempt(load: () => unknown): unknown {
  try {
    return load();
  } catch (err) {
    if (!isSagegateError(err)) throw err;
    return undefined;
  }
}

describe("prototype keys stay data", () => {
  it("YAML: own keys, Object.prototype untouched, nested too", () => {
    const doc = parseYaml(
      "__proto__: { polluted: 1 }\nconstructor: { prototype: { polluted: 2 } }\nx: { __proto__: { polluted: 3 } }\n",
      "t.yaml",
      (m, f, p) => new ConfigError(m, f, p),
    );
    const v = doc.value as Record<string, any>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(["__proto__", "constructor", "x"]);
    expect(Object.getPrototypeOf(v.x)).toBe(Object.prototype);
    expect(v.polluted).toBeUndefined();
  });

  it("config, waivers: refused as unknown keys, wherever they appear", () => {
    for (const key of KEYS) {
      expect(() => parseConfig(`tagPrefix: a\ncompany: b\n${key}: { polluted: true }\n`, "c.yaml")).toThrow(new RegExp(`unknown key "${key}"`));
      expect(() => parseConfig(`tagPrefix: a\ncompany: b\necr: { ${key}: { polluted: true } }\n`, "c.yaml")).toThrow(/unknown key/);
      expect(() =>
        parseWaivers(
          `waivers:\n  - { rule: SG009, resource: x, reason: a good reason, owner: me, expires: 2099-01-01, ${key}: { polluted: true } }\n`,
          "w.yaml",
        ),
      ).toThrow(/unknown key/);
    }
  });

  it("waiver tags named like Object.prototype members match only resources that carry them", () => {
    for (const key of [...KEYS, "toString", "hasOwnProperty"]) {
      const [w] = parseWaivers(
        `waivers:\n  - { rule: SG009, resource: "*", reason: a good reason, owner: me, expires: 2099-01-01, tags: { "${key}": x } }\n`,
        "w.yaml",
      );
      const result = (tags: Record<string, string> | undefined) =>
        ({
          rule: { def: { id: "SG009" } },
          resource: {
            type: "t",
            id: "sg-1",
            arn: "arn",
            accountId: "1",
            region: "r",
            ...(tags ? { rawTags: Object.keys(tags).map((k) => ({ Key: k, Value: tags[k] })) } : {}),
          },
        }) as any;
      expect(waiverMatches(w!, result(undefined))).toBe(false);
      expect(waiverMatches(w!, result({ other: "x" }))).toBe(false);
      const own: Record<string, string> = {};
      Object.defineProperty(own, key, { value: "x", enumerable: true });
      expect(waiverMatches(w!, result(own))).toBe(true);
    }
  });

  it("snapshot resource objects and tags keep __proto__ as data, through the file reader and in memory", () => {
    const dir = tempDir();
    const text = readFileSync(DEMO_SNAPSHOT, "utf8").replace(
      '"GroupId": "sg-0bastion00000001",',
      '"GroupId": "sg-0bastion00000001", "__proto__": { "polluted": true, "GroupName": "x" }, "constructor": { "prototype": { "polluted": true } },',
    );
    const file = join(dir, "s.json");
    writeFileSync(file, text);
    const snap = readSnapshotFile(file);
    validateAllResources(snap);
    const sg = [...snap.regions[0]!.resources.get("AWS::EC2::SecurityGroup")!.items()].find((r) => r.id === "sg-0bastion00000001")!;
    expect(Object.getPrototypeOf(sg.data)).toBe(Object.prototype);
    expect(Object.hasOwn(sg.data, "__proto__")).toBe(true);
    expect(sg.data.GroupName).toBe("acme-mlops-bastion");
    const mem = snapshotFromObject(JSON.parse(text));
    validateAllResources(mem);
  });

  it("merge compares __proto__ keys as content: different values are two different regions", () => {
    const base = JSON.parse(readFileSync(DEMO_SNAPSHOT, "utf8"));
    const a = JSON.parse(JSON.stringify(base).replace('"GroupId":"sg-0bastion00000001",', '"GroupId":"sg-0bastion00000001","__proto__":{"v":1},'));
    const b = JSON.parse(JSON.stringify(base).replace('"GroupId":"sg-0bastion00000001",', '"GroupId":"sg-0bastion00000001","__proto__":{"v":2},'));
    expect(() =>
      mergeSnapshots([
        { file: "a.json", snapshot: snapshotFromObject(a) },
        { file: "b.json", snapshot: snapshotFromObject(b) },
      ]),
    ).toThrow(/with different content/);
    expect(() =>
      mergeSnapshots([
        { file: "a.json", snapshot: snapshotFromObject(a) },
        { file: "a2.json", snapshot: snapshotFromObject(JSON.parse(JSON.stringify(a))) },
      ]),
    ).not.toThrow();
  });

  it("baseline reports: refused or read as data, never a prototype", () => {
    const dir = tempDir();
    for (const key of KEYS) {
      const file = join(dir, `${key}.json`);
      writeFileSync(file, `{"${key}": {"polluted": true, "prototype": {"polluted": true}}, "results": []}`);
      attempt(() => loadBaseline(file));
    }
  });
});
