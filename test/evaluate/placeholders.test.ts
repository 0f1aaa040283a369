import { describe, expect, it } from "vitest";
import { withDefaults, type Config } from "../../src/config/config.js";
import { escapeRegex, PlaceholderError, Placeholders } from "../../src/evaluate/placeholders.js";

function placeholders(raw: Partial<Config> = {}): Placeholders {
  return new Placeholders(withDefaults({ tagPrefix: "acme-ml", company: "acme", ...raw }));
}

const ORG = placeholders({ teams: ["rc", "algo"], projects: ["rc-fraud-detection", "algo-recommendation"], vpcIds: ["vpc-1", "vpc-2"] });
const VARS = { accountId: "111122223333", region: "eu-west-1" };

/** Interpolates and returns the constant, failing the test when the result depends on the region. */
function constant(p: Placeholders, written: unknown): unknown {
  const r = p.interpolate(written);
  if (!("constant" in r)) throw new Error(`expected a constant for ${JSON.stringify(written)}`);
  return r.constant;
}

function runtime(p: Placeholders, written: unknown): (vars: typeof VARS) => unknown {
  const r = p.interpolate(written);
  if (!("runtime" in r)) throw new Error(`expected a runtime value for ${JSON.stringify(written)}`);
  return r.runtime;
}

/** The regex as the engine would build it: anchored, from the expanded pattern. */
function re(p: Placeholders, pattern: string): RegExp {
  return new RegExp(p.regex(pattern));
}

describe("interpolate: constants", () => {
  it("a whole placeholder keeps its type", () => {
    expect(constant(ORG, "{ecr.keepImages}")).toBe(10);
    expect(constant(ORG, "{logRetentionDays.trainingJobs}")).toBe(90);
    expect(constant(ORG, "{projects}")).toEqual(["rc-fraud-detection", "algo-recommendation"]);
    expect(constant(ORG, "{tagPrefix}")).toBe("acme-ml");
    expect(constant(ORG, "{profile}")).toBe("baseline");
  });

  it("takes configured values over defaults", () => {
    const p = placeholders({
      ecr: { keepImages: 3 },
      logRetentionDays: { processingJobs: 1, trainingJobs: 2, endpoints: 3, studio: 4 },
      profile: "high-security",
    });
    expect(constant(p, "{ecr.keepImages}")).toBe(3);
    expect(constant(p, "{logRetentionDays.studio}")).toBe(4);
    expect(constant(p, "{profile}")).toBe("high-security");
  });

  it("an empty list stays an empty list", () => {
    expect(constant(placeholders(), "{teams}")).toEqual([]);
  });

  it("substitutes placeholders inside a longer string as text", () => {
    expect(constant(ORG, "{tagPrefix}-training")).toBe("acme-ml-training");
    expect(constant(ORG, "{company}-sm-{tagPrefix}")).toBe("acme-sm-acme-ml");
    expect(constant(ORG, "keep {ecr.keepImages} images")).toBe("keep 10 images");
    expect(constant(ORG, " {ecr.keepImages}")).toBe(" 10");
  });

  it("leaves strings without placeholders, and non-strings, as they are", () => {
    expect(constant(ORG, "plain")).toBe("plain");
    expect(constant(ORG, "{ not a placeholder }")).toBe("{ not a placeholder }");
    expect(constant(ORG, 42)).toBe(42);
    expect(constant(ORG, true)).toBe(true);
    expect(constant(ORG, null)).toBe(null);
    expect(constant(ORG, { a: "{tagPrefix}" })).toEqual({ a: "{tagPrefix}" });
  });

  it("spreads a list placeholder inside a written list", () => {
    expect(constant(ORG, ["{projects}", "other", "{tagPrefix}-x", 5])).toEqual(["rc-fraud-detection", "algo-recommendation", "other", "acme-ml-x", 5]);
  });

  it("throws PlaceholderError for an unknown placeholder, whole or inside text", () => {
    expect(() => ORG.interpolate("{nope}")).toThrow(PlaceholderError);
    expect(() => ORG.interpolate("x-{nope}-y")).toThrow(PlaceholderError);
    expect(() => ORG.interpolate("{ecr.nope}")).toThrow(/unknown placeholder \{ecr\.nope\}/);
    expect(() => ORG.interpolate(["ok", "{nope}"])).toThrow(PlaceholderError);
  });

  it("does not take inherited object properties for placeholders", () => {
    for (const name of ["constructor", "toString", "hasOwnProperty", "valueOf"]) {
      expect(() => ORG.interpolate(`{${name}}`)).toThrow(PlaceholderError);
      expect(() => ORG.interpolate(`x{${name}}`)).toThrow(/unknown placeholder/);
      expect(() => ORG.regex(`^{${name}}$`)).toThrow(PlaceholderError);
      expect(ORG.has(name)).toBe(false);
      expect(ORG.text(`{${name}}`)).toBe(`{${name}}`);
    }
  });

  it("throws PlaceholderError for a list inside a longer string", () => {
    expect(() => ORG.interpolate("{projects}-x")).toThrow(PlaceholderError);
    expect(() => ORG.interpolate("teams: {teams}")).toThrow(/list/);
  });
});

describe("interpolate: runtime", () => {
  it("{accountId} and {region} give a function of the region", () => {
    expect(runtime(ORG, "{accountId}")(VARS)).toBe("111122223333");
    expect(runtime(ORG, "{region}")(VARS)).toBe("eu-west-1");
    expect(runtime(ORG, "{accountId}")({ accountId: "999", region: "us-east-1" })).toBe("999");
  });

  it("mixes runtime and config placeholders in one string", () => {
    const f = runtime(ORG, "arn:aws:kms:{region}:{accountId}:alias/{tagPrefix}");
    expect(f(VARS)).toBe("arn:aws:kms:eu-west-1:111122223333:alias/acme-ml");
  });

  it("a list with a runtime item is a runtime list", () => {
    const f = runtime(ORG, ["{accountId}", "{projects}", "x"]);
    expect(f(VARS)).toEqual(["111122223333", "rc-fraud-detection", "algo-recommendation", "x"]);
  });
});

describe("regex", () => {
  it("escapes config values: acme.ml matches only itself", () => {
    const p = placeholders({ tagPrefix: "acme.ml" });
    const r = re(p, "^{tagPrefix}-");
    expect(r.test("acme.ml-x")).toBe(true);
    expect(r.test("acmeXml-x")).toBe(false);
  });

  it("escapes every metacharacter", () => {
    const p = placeholders({ company: "a+b" });
    expect(re(p, "^{company}$").test("a+b")).toBe(true);
    expect(re(p, "^{company}$").test("aab")).toBe(false);
    const odd = "x.*+?^${}()|[]\\y";
    expect(new RegExp(`^${escapeRegex(odd)}$`).test(odd)).toBe(true);
    expect(new RegExp(`^${escapeRegex(odd)}$`).test("x")).toBe(false);
  });

  it("writes numbers as their digits", () => {
    expect(re(ORG, "^{ecr.keepImages}$").test("10")).toBe(true);
  });

  it("turns a list into an alternation of escaped items", () => {
    const r = re(placeholders({ vpcIds: ["vpc-1", "vpc.2"] }), "^{vpcIds}$");
    expect(r.test("vpc-1")).toBe(true);
    expect(r.test("vpc.2")).toBe(true);
    expect(r.test("vpcX2")).toBe(false);
    expect(r.test("vpc-1vpc.2")).toBe(false);
    // The alternation is grouped: the anchors apply to every item.
    expect(r.test("vpc-12")).toBe(false);
    expect(r.test("xvpc.2")).toBe(false);
  });

  it("an empty list matches nothing", () => {
    const p = placeholders();
    expect(re(p, "^{vpcIds}$").test("")).toBe(false);
    expect(re(p, "{vpcIds}").test("vpc-1")).toBe(false);
    expect(re(p, "^x{vpcIds}?$").test("x")).toBe(true); // still a valid, optional atom
  });

  it("keeps the rest of the pattern as written", () => {
    expect(ORG.regex("^{company}-sm-[a-z]+$")).toBe("^acme-sm-[a-z]+$");
  });

  it("throws for runtime and unknown placeholders", () => {
    expect(() => ORG.regex("^{accountId}$")).toThrow(PlaceholderError);
    expect(() => ORG.regex("^{region}$")).toThrow(/cannot be used in a regex/);
    expect(() => ORG.regex("^{nope}$")).toThrow(PlaceholderError);
  });

  describe("derived patterns with teams and projects configured", () => {
    it("{team} is a configured team", () => {
      const r = re(ORG, "^{team}$");
      expect(r.test("rc")).toBe(true);
      expect(r.test("algo")).toBe(true);
      expect(r.test("ops")).toBe(false);
      expect(r.test("rcalgo")).toBe(false);
    });

    it("{teamProject} is a configured project", () => {
      const r = re(ORG, "^{teamProject}$");
      expect(r.test("rc-fraud-detection")).toBe(true);
      expect(r.test("algo-recommendation")).toBe(true);
      expect(r.test("rc-other")).toBe(false);
    });

    it("{projectPrefix} is a configured project and a dash", () => {
      const r = re(ORG, "^{projectPrefix}");
      expect(r.test("rc-fraud-detection-train-1")).toBe(true);
      expect(r.test("algo-recommendation-x")).toBe(true);
      expect(r.test("rc-fraud-detection")).toBe(false);
      expect(r.test("rc-other-x")).toBe(false);
    });
  });

  describe("derived patterns with only teams configured", () => {
    const p = placeholders({ teams: ["rc", "a.b"] });

    it("{team} is a configured team, escaped", () => {
      const r = re(p, "^{team}$");
      expect(r.test("rc")).toBe(true);
      expect(r.test("a.b")).toBe(true);
      expect(r.test("axb")).toBe(false);
      expect(r.test("ops")).toBe(false);
    });

    it("{teamProject} is <team>-<words>", () => {
      const r = re(p, "^{teamProject}$");
      expect(r.test("rc-fraud")).toBe(true);
      expect(r.test("rc-fraud-detection")).toBe(true);
      expect(r.test("a.b-x")).toBe(true);
      expect(r.test("rc")).toBe(false);
      expect(r.test("ops-fraud")).toBe(false);
      expect(r.test("rc-")).toBe(false);
      expect(r.test("rc-Fraud")).toBe(false);
    });

    it("{projectPrefix} is <team>-", () => {
      const r = re(p, "^{projectPrefix}");
      expect(r.test("rc-anything")).toBe(true);
      expect(r.test("ops-anything")).toBe(false);
      expect(r.test("rc")).toBe(false);
    });
  });

  describe("derived patterns with neither teams nor projects", () => {
    const p = placeholders();

    it("{team} is any lowercase word", () => {
      const r = re(p, "^{team}$");
      expect(r.test("ops")).toBe(true);
      expect(r.test("team1")).toBe(true);
      expect(r.test("Ops")).toBe(false);
      expect(r.test("a-b")).toBe(false);
      expect(r.test("")).toBe(false);
    });

    it("{teamProject} is two or more lowercase words", () => {
      const r = re(p, "^{teamProject}$");
      expect(r.test("ops-thing")).toBe(true);
      expect(r.test("ops-thing-two")).toBe(true);
      expect(r.test("ops")).toBe(false);
      expect(r.test("ops-")).toBe(false);
      expect(r.test("ops--thing")).toBe(false);
    });

    it("{projectPrefix} is <word>-<word>-", () => {
      const r = re(p, "^{projectPrefix}");
      expect(r.test("ops-thing-x")).toBe(true);
      expect(r.test("ops-thing-")).toBe(true);
      expect(r.test("ops-thing")).toBe(false);
      expect(r.test("ops-")).toBe(false);
    });
  });

  it("projects alone decide {teamProject} and {projectPrefix}", () => {
    const p = placeholders({ projects: ["x-y"] });
    expect(re(p, "^{teamProject}$").test("x-y")).toBe(true);
    expect(re(p, "^{teamProject}$").test("x-z")).toBe(false);
    expect(re(p, "^{projectPrefix}").test("x-y-1")).toBe(true);
    expect(re(p, "^{projectPrefix}").test("x-z-1")).toBe(false);
    // {team} is still any word.
    expect(re(p, "^{team}$").test("anything")).toBe(true);
  });
});

describe("text", () => {
  it("substitutes config values, lists joined", () => {
    expect(ORG.text("prefix {tagPrefix}, teams {teams}, keep {ecr.keepImages}")).toBe("prefix acme-ml, teams rc, algo, keep 10");
  });

  it("leaves runtime, derived and unknown names for the caller", () => {
    expect(ORG.text("{reason} in {region} for {team} ({accountId})")).toBe("{reason} in {region} for {team} ({accountId})");
  });

  it("does not treat replacement patterns in values specially", () => {
    expect(placeholders({ company: "$&$1" }).text("[{company}]")).toBe("[$&$1]");
  });
});

describe("names and has", () => {
  it("lists every placeholder, sorted", () => {
    const names = ORG.names();
    expect(names).toEqual([...names].sort());
    for (const n of ["tagPrefix", "projects", "ecr.keepImages", "team", "teamProject", "projectPrefix", "accountId", "region"]) {
      expect(names).toContain(n);
    }
  });

  it("has config and runtime names, not derived patterns or unknowns", () => {
    expect(ORG.has("tagPrefix")).toBe(true);
    expect(ORG.has("accountId")).toBe(true);
    expect(ORG.has("team")).toBe(false);
    expect(ORG.has("nope")).toBe(false);
  });
});
