import { describe, expect, it } from "vitest";
import { isCalendarDate, parseImageReference } from "../../src/evaluate/domain/values.js";

describe("isCalendarDate", () => {
  it.each([
    ["2024-02-29", true, "leap year"],
    ["2023-02-29", false, "not a leap year"],
    ["2023-02-28", true, "last day of February"],
    ["1900-02-29", false, "century, not a leap year"],
    ["2000-02-29", true, "400-year leap year"],
    ["2100-02-29", false, "century"],
    ["2024-02-30", false, "February 30"],
    ["2024-13-01", false, "month 13"],
    ["2024-00-10", false, "month 0"],
    ["2024-01-00", false, "day 0"],
    ["2024-04-31", false, "day 31 in April"],
    ["2024-04-30", true, "day 30 in April"],
    ["2024-06-31", false, "day 31 in June"],
    ["2024-09-31", false, "day 31 in September"],
    ["2024-11-31", false, "day 31 in November"],
    ["2024-01-31", true, "day 31 in January"],
    ["2024-12-31", true, "day 31 in December"],
    ["2024-07-31", true, "day 31 in July"],
    ["2024-08-32", false, "day 32"],
    ["2024-1-01", false, "one-digit month"],
    ["2024-01-1", false, "one-digit day"],
    ["24-01-01", false, "two-digit year"],
    ["2024/01/01", false, "slashes"],
    ["20240101", false, "the other format"],
    [" 2024-01-01", false, "leading space"],
    ["2024-01-01\n", false, "trailing newline"],
    ["", false, "empty"],
  ])("YYYY-MM-DD %j is %s (%s)", (text, ok) => {
    expect(isCalendarDate(text, "YYYY-MM-DD")).toBe(ok);
  });

  it.each([
    ["20240229", true, "leap year"],
    ["20230229", false, "not a leap year"],
    ["19000229", false, "century"],
    ["20000229", true, "400-year leap year"],
    ["20241301", false, "month 13"],
    ["20240100", false, "day 0"],
    ["20240431", false, "day 31 in April"],
    ["20241231", true, "last day of the year"],
    ["2024-01-01", false, "the other format"],
    ["2024011", false, "seven digits"],
    ["202401011", false, "nine digits"],
    ["2024O101", false, "a letter"],
  ])("YYYYMMDD %j is %s (%s)", (text, ok) => {
    expect(isCalendarDate(text, "YYYYMMDD")).toBe(ok);
  });
});

describe("parseImageReference", () => {
  it.each([
    ["repo", { repository: "repo", tag: "latest", impliedTag: true }],
    ["repo:tag", { repository: "repo", tag: "tag", impliedTag: false }],
    ["repo:latest", { repository: "repo", tag: "latest", impliedTag: false }],
    ["host:5000/repo", { registry: "host:5000", repository: "repo", tag: "latest", impliedTag: true }],
    ["host:5000/repo:tag", { registry: "host:5000", repository: "repo", tag: "tag", impliedTag: false }],
    [
      "111122223333.dkr.ecr.eu-west-1.amazonaws.com/a/b:v1",
      { registry: "111122223333.dkr.ecr.eu-west-1.amazonaws.com", repository: "a/b", tag: "v1", impliedTag: false },
    ],
    [
      "111122223333.dkr.ecr.eu-west-1.amazonaws.com/acme-sm-rc-fraud-detection/training",
      { registry: "111122223333.dkr.ecr.eu-west-1.amazonaws.com", repository: "acme-sm-rc-fraud-detection/training", tag: "latest", impliedTag: true },
    ],
    ["repo@sha256:abc", { repository: "repo", digest: "sha256:abc", impliedTag: false }],
    ["repo:latest@sha256:abc", { repository: "repo", tag: "latest", digest: "sha256:abc", impliedTag: false }],
    ["host:5000/a/b@sha256:abc", { registry: "host:5000", repository: "a/b", digest: "sha256:abc", impliedTag: false }],
    ["localhost/repo", { registry: "localhost", repository: "repo", tag: "latest", impliedTag: true }],
    ["localhost:5000/repo:1.0", { registry: "localhost:5000", repository: "repo", tag: "1.0", impliedTag: false }],
    ["library/ubuntu", { repository: "library/ubuntu", tag: "latest", impliedTag: true }],
    ["library/ubuntu:22.04", { repository: "library/ubuntu", tag: "22.04", impliedTag: false }],
    ["docker.io/library/ubuntu", { registry: "docker.io", repository: "library/ubuntu", tag: "latest", impliedTag: true }],
  ])("%s", (reference, expected) => {
    // toStrictEqual: a key that must be absent (registry, tag with a digest only) must not be there as undefined.
    expect(parseImageReference(reference)).toStrictEqual(expected);
  });

  it("does not take a registry port for a tag", () => {
    const ref = parseImageReference("host:5000/repo");
    expect(ref.tag).toBe("latest");
    expect(ref.impliedTag).toBe(true);
    expect(ref.repository).toBe("repo");
  });

  it("does not read a colon in the digest as a tag", () => {
    const ref = parseImageReference("repo@sha256:abc");
    expect(ref.tag).toBeUndefined();
    expect("tag" in ref).toBe(false);
    expect(ref.repository).toBe("repo");
  });

  it("only a first component with '.', ':' or localhost is a registry", () => {
    expect(parseImageReference("team/repo").registry).toBeUndefined();
    expect(parseImageReference("localhostx/repo").registry).toBeUndefined();
    expect(parseImageReference("my.registry/team/repo").registry).toBe("my.registry");
    // The dot of a tag is not a registry's dot.
    expect(parseImageReference("repo:1.0").registry).toBeUndefined();
  });
});
