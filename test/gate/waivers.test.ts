import { describe, expect, it } from "vitest";
import { applyWaivers, parseWaivers, waiverMatches, type Waiver } from "../../src/gate/waivers.js";
import type { EvaluationResult } from "../../src/evaluate/engine.js";
import { WaiverError } from "../../src/errors.js";
import { summarize } from "../../src/report/model.js";

function result(
  ruleId: string,
  id: string,
  opts: Partial<{ status: EvaluationResult["status"]; account: string; region: string; tags: Record<string, string>; type: string }> = {},
): EvaluationResult {
  const type = opts.type ?? "AWS::EC2::SecurityGroup";
  const account = opts.account ?? "111122223333";
  const region = opts.region ?? "eu-west-1";
  return {
    rule: { def: { id: ruleId, severity: "high" } } as EvaluationResult["rule"],
    resource: {
      type,
      id,
      arn: `arn:aws:ec2:${region}:${account}:security-group/${id}`,
      accountId: account,
      region,
      ...(opts.tags ? { rawTags: Object.entries(opts.tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
    },
    status: opts.status ?? "fail",
    message: "m",
    evidence: [],
  };
}

function waiver(partial: Partial<Waiver>): Waiver {
  return {
    rule: "SG009",
    resource: "sg-1",
    reason: "accepted for the migration",
    owner: "platform",
    expires: "2026-12-31",
    index: 1,
    file: "w.yaml",
    ...partial,
  };
}

describe("waiver matching", () => {
  it("matches rule id or list, and resource id exactly", () => {
    expect(waiverMatches(waiver({}), result("SG009", "sg-1"))).toBe(true);
    expect(waiverMatches(waiver({}), result("SG009", "sg-10"))).toBe(false);
    expect(waiverMatches(waiver({}), result("SG003", "sg-1"))).toBe(false);
    expect(waiverMatches(waiver({ rule: ["SG003", "SG009"] }), result("SG003", "sg-1"))).toBe(true);
  });

  it("matches globs on ids and on ARNs, case-sensitively", () => {
    expect(waiverMatches(waiver({ resource: "sg-0proc*" }), result("SG009", "sg-0proc000001"))).toBe(true);
    expect(waiverMatches(waiver({ resource: "sg-0PROC*" }), result("SG009", "sg-0proc000001"))).toBe(false);
    expect(waiverMatches(waiver({ resource: "sg-?" }), result("SG009", "sg-7"))).toBe(true);
    expect(waiverMatches(waiver({ resource: "sg-?" }), result("SG009", "sg-77"))).toBe(false);
    expect(waiverMatches(waiver({ resource: "arn:aws:ec2:eu-west-1:111122223333:security-group/*" }), result("SG009", "sg-5"))).toBe(true);
    expect(waiverMatches(waiver({ resource: "arn:aws:ec2:us-east-1:*" }), result("SG009", "sg-5"))).toBe(false);
  });

  it("narrows by accounts, regions and tags", () => {
    expect(waiverMatches(waiver({ accounts: ["999999999999"] }), result("SG009", "sg-1"))).toBe(false);
    expect(waiverMatches(waiver({ accounts: ["111122223333"] }), result("SG009", "sg-1"))).toBe(true);
    expect(waiverMatches(waiver({ regions: ["us-east-1"] }), result("SG009", "sg-1"))).toBe(false);
    expect(waiverMatches(waiver({ regions: ["eu-west-1"] }), result("SG009", "sg-1"))).toBe(true);
    const tagged = result("SG009", "sg-1", { tags: { environment: "sandbox", team: "rc" } });
    expect(waiverMatches(waiver({ tags: { environment: "sandbox" } }), tagged)).toBe(true);
    expect(waiverMatches(waiver({ tags: { environment: "prod" } }), tagged)).toBe(false);
    expect(waiverMatches(waiver({ tags: { environment: "sandbox" } }), result("SG009", "sg-1"))).toBe(false);
  });
});

describe("applying waivers against a fixed clock", () => {
  const results = [result("SG009", "sg-1"), result("SG009", "sg-2"), result("SG009", "sg-3", { status: "pass" }), result("SG009", "sg-4", { status: "error" })];
  const waivers = [
    waiver({ index: 1, resource: "sg-1", expires: "2026-12-31" }),
    waiver({ index: 2, resource: "sg-2", expires: "2026-11-28" }),
    waiver({ index: 3, resource: "sg-404", expires: "2026-12-05" }),
  ];

  it("waives an active match, keeps an expired one failing, reports the unused one", () => {
    const out = applyWaivers(results, waivers, "2026-11-29");
    expect(out.results.map((r) => r.status)).toEqual(["waived", "fail", "pass", "error"]);
    expect(out.results[0]!.waiver).toMatchObject({ owner: "platform", expires: "2026-12-31" });
    expect(out.results[1]!.expiredWaiver).toMatchObject({ index: 2, expires: "2026-11-28" });
    expect(out.statuses.map((s) => [s.waiver.index, s.state, s.matched])).toEqual([
      [1, "active", 1],
      [2, "expired", 1],
      [3, "unused", 0],
    ]);
  });

  it("applies on the expiry day itself and not the day after", () => {
    expect(applyWaivers([result("SG009", "sg-2")], [waivers[1]!], "2026-11-28").results[0]!.status).toBe("waived");
    expect(applyWaivers([result("SG009", "sg-2")], [waivers[1]!], "2026-11-29").results[0]!.status).toBe("fail");
  });

  it("never waives passes or errors", () => {
    const all = applyWaivers(results, [waiver({ resource: "sg-*" })], "2026-11-29").results;
    expect(all[2]!.status).toBe("pass");
    expect(all[3]!.status).toBe("error");
  });

  it("counts waivers expiring within 14 days in the summary", () => {
    const out = applyWaivers(results, waivers, "2026-11-29");
    const summary = summarize(out.results, 1, 0, out.statuses);
    expect(summary.waivers).toEqual({ active: 1, expired: 1, unused: 1, expiringSoon: 1 }); // #3 expires 2026-12-05
    expect(summary.byStatus.waived).toBe(1);
  });
});

describe("waivers file", () => {
  it("reads entries with their line numbers", () => {
    const w = parseWaivers(
      "waivers:\n  - rule: SG009\n    resource: sg-1\n    reason: accepted during the migration\n    owner: platform\n    expires: 2026-12-31\n",
      "w.yaml",
    );
    expect(w[0]).toMatchObject({ index: 1, line: 2, expires: "2026-12-31" });
  });

  it("names the file and line of a schema error", () => {
    const text = "waivers:\n  - rule: SG009\n    resource: sg-1\n    reason: accepted during the migration\n    expires: 2026-12-31\n";
    expect(() => parseWaivers(text, "w.yaml")).toThrow(WaiverError);
    try {
      parseWaivers(text, "w.yaml");
    } catch (err) {
      expect((err as WaiverError).format()).toMatch(/^w\.yaml:2:5: \/waivers\/0: missing required key "owner"$/);
    }
  });

  it("refuses a date that is not on the calendar", () => {
    const text = "waivers:\n  - rule: SG009\n    resource: sg-1\n    reason: accepted during the migration\n    owner: me\n    expires: 2026-02-30\n";
    expect(() => parseWaivers(text, "w.yaml")).toThrow(/w\.yaml:6:14: \/waivers\/0\/expires: expires 2026-02-30 is not a calendar date|must match format/);
  });
});
