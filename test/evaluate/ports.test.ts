import { describe, expect, it } from "vitest";
import { describeTraffic, isExactlyPort, normalizeProtocol, permissionPorts, rangeCovers } from "../../src/evaluate/domain/ports.js";

describe("normalizeProtocol", () => {
  it.each([
    ["-1", "all"],
    ["all", "all"],
    ["ALL", "all"],
    ["6", "tcp"],
    ["tcp", "tcp"],
    ["TCP", "tcp"],
    ["Tcp", "tcp"],
    ["17", "udp"],
    ["UDP", "udp"],
    ["1", "icmp"],
    ["ICMP", "icmp"],
    ["58", "icmpv6"],
    ["icmpv6", "icmpv6"],
    ["ICMPv6", "icmpv6"],
  ])("%s is %s", (written, name) => {
    expect(normalizeProtocol(written)).toBe(name);
  });

  it("keeps any other protocol number as written", () => {
    expect(normalizeProtocol("50")).toBe("50");
    expect(normalizeProtocol("47")).toBe("47");
  });

  it("does not confuse numbers that merely contain a known one", () => {
    expect(normalizeProtocol("16")).toBe("16");
    expect(normalizeProtocol("60")).toBe("60");
    expect(normalizeProtocol("-11")).toBe("-11");
  });
});

describe("permissionPorts", () => {
  it("keeps a TCP or UDP range", () => {
    expect(permissionPorts("tcp", 443, 443)).toEqual({ from: 443, to: 443 });
    expect(permissionPorts("tcp", 8080, 8081)).toEqual({ from: 8080, to: 8081 });
    expect(permissionPorts("udp", 53, 53)).toEqual({ from: 53, to: 53 });
  });

  it("reads TCP/UDP -1 as all ports", () => {
    expect(permissionPorts("tcp", -1, -1)).toBeUndefined();
    expect(permissionPorts("udp", -1, -1)).toBeUndefined();
  });

  it("reads TCP 0-65535 as all ports", () => {
    expect(permissionPorts("tcp", 0, 65535)).toBeUndefined();
    expect(permissionPorts("udp", 0, 65535)).toBeUndefined();
  });

  it("keeps ranges that stop short of all ports", () => {
    expect(permissionPorts("tcp", 1, 65535)).toEqual({ from: 1, to: 65535 });
    expect(permissionPorts("tcp", 0, 65534)).toEqual({ from: 0, to: 65534 });
  });

  it("reads missing or non-numeric ports as all ports", () => {
    expect(permissionPorts("tcp", undefined, undefined)).toBeUndefined();
    expect(permissionPorts("tcp", 443, undefined)).toBeUndefined();
    expect(permissionPorts("tcp", "443", "443")).toBeUndefined();
  });

  it("keeps an ICMP type and code", () => {
    expect(permissionPorts("icmp", 8, 0)).toEqual({ from: 8, to: 0 });
    expect(permissionPorts("icmp", 3, -1)).toEqual({ from: 3, to: -1 });
    expect(permissionPorts("icmpv6", 128, 0)).toEqual({ from: 128, to: 0 });
  });

  it("reads ICMP type -1 as all types", () => {
    expect(permissionPorts("icmp", -1, -1)).toBeUndefined();
    expect(permissionPorts("icmpv6", -1, -1)).toBeUndefined();
  });

  it("reads all protocols, and protocols without ports, as all ports whatever FromPort/ToPort say", () => {
    expect(permissionPorts("all", 443, 443)).toBeUndefined();
    expect(permissionPorts("50", 500, 500)).toBeUndefined();
    expect(permissionPorts("47", undefined, undefined)).toBeUndefined();
  });
});

describe("isExactlyPort", () => {
  it("is true only for a one-port range on that port", () => {
    expect(isExactlyPort({ from: 443, to: 443 }, 443)).toBe(true);
    expect(isExactlyPort({ from: 443, to: 444 }, 443)).toBe(false);
    expect(isExactlyPort({ from: 442, to: 443 }, 443)).toBe(false);
    expect(isExactlyPort({ from: 80, to: 80 }, 443)).toBe(false);
  });

  it("is false for all ports", () => {
    expect(isExactlyPort(undefined, 443)).toBe(false);
  });
});

describe("rangeCovers", () => {
  it("covers ports within the range, inclusive", () => {
    const range = { from: 8080, to: 8090 };
    expect(rangeCovers(range, 8080)).toBe(true);
    expect(rangeCovers(range, 8085)).toBe(true);
    expect(rangeCovers(range, 8090)).toBe(true);
  });

  it("does not cover ports outside the range", () => {
    const range = { from: 8080, to: 8090 };
    expect(rangeCovers(range, 8079)).toBe(false);
    expect(rangeCovers(range, 8091)).toBe(false);
    expect(rangeCovers({ from: 443, to: 443 }, 80)).toBe(false);
  });

  it("all ports cover every port", () => {
    expect(rangeCovers(undefined, 0)).toBe(true);
    expect(rangeCovers(undefined, 443)).toBe(true);
    expect(rangeCovers(undefined, 65535)).toBe(true);
  });
});

describe("describeTraffic", () => {
  it.each([
    ["all", undefined, "all traffic"],
    ["all", { from: 443, to: 443 }, "all traffic"],
    ["tcp", { from: 443, to: 443 }, "TCP 443"],
    ["tcp", { from: 8080, to: 8081 }, "TCP 8080-8081"],
    ["tcp", undefined, "TCP all ports"],
    ["udp", { from: 53, to: 53 }, "UDP 53"],
    ["udp", undefined, "UDP all ports"],
    ["icmp", { from: 8, to: -1 }, "ICMP type 8"],
    ["icmp", { from: 3, to: 4 }, "ICMP type 3 code 4"],
    ["icmp", undefined, "ICMP all types"],
    ["icmpv6", { from: 128, to: 0 }, "ICMPv6 type 128 code 0"],
    ["icmpv6", undefined, "ICMPv6 all types"],
    ["50", undefined, "protocol 50"],
  ] as const)("%s %j is %s", (protocol, range, text) => {
    expect(describeTraffic(protocol, range)).toBe(text);
  });

  it("describes what permissionPorts read", () => {
    const protocol = normalizeProtocol("6");
    expect(describeTraffic(protocol, permissionPorts(protocol, 0, 65535))).toBe("TCP all ports");
    const icmp = normalizeProtocol("1");
    expect(describeTraffic(icmp, permissionPorts(icmp, -1, -1))).toBe("ICMP all types");
  });
});
