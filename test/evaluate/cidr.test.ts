import { describe, expect, it } from "vitest";
import { cidrContains, cidrEquals, parseCidr, parseIpv4, parseIpv6, type Cidr } from "../../src/evaluate/domain/cidr.js";

/** Parses a block the test relies on being valid. */
function cidr(text: string): Cidr {
  const c = parseCidr(text);
  if (c === undefined) throw new Error(`test setup: ${text} should parse`);
  return c;
}

describe("parseCidr: IPv4", () => {
  it("parses a network block", () => {
    expect(parseCidr("10.0.0.0/16")).toEqual({ version: 4, network: 0x0a000000n, prefix: 16 });
  });

  it("parses the edges of the address space and prefix range", () => {
    expect(parseCidr("0.0.0.0/0")).toEqual({ version: 4, network: 0n, prefix: 0 });
    expect(parseCidr("255.255.255.255/32")).toEqual({ version: 4, network: 0xffffffffn, prefix: 32 });
    expect(parseCidr("192.168.1.7/32")).toEqual({ version: 4, network: 0xc0a80107n, prefix: 32 });
  });

  it("clears host bits: 10.0.0.5/16 is the block 10.0.0.0/16", () => {
    const c = parseCidr("10.0.0.5/16");
    expect(c).toEqual({ version: 4, network: 0x0a000000n, prefix: 16 });
    expect(cidrEquals(c!, cidr("10.0.0.0/16"))).toBe(true);
    expect(parseCidr("10.1.255.255/8")!.network).toBe(0x0a000000n);
    expect(parseCidr("10.0.0.5/0")!.network).toBe(0n);
    expect(parseCidr("172.31.17.200/20")!.network).toBe(0xac1f1000n); // 172.31.16.0
  });

  it.each([
    ["10.0.0.0/33", "prefix above 32"],
    ["256.0.0.0/8", "octet above 255"],
    ["10.0.0.256/32", "last octet above 255"],
    ["010.0.0.0/8", "leading zero in an octet"],
    ["10.00.0.0/8", "leading zero in an inner octet"],
    ["10.0.0/8", "three octets"],
    ["10.0.0.0.0/8", "five octets"],
    ["10..0.0/8", "empty octet"],
    ["10.0.0.0", "missing prefix"],
    ["10.0.0.0/", "empty prefix"],
    ["10.0.0.0/-1", "negative prefix"],
    ["10.0.0.0/8/8", "two slashes"],
    ["10.0.0.0/1a", "non-numeric prefix"],
    ["10.0.0.0/1000", "prefix with four digits"],
    [" 10.0.0.0/8", "leading space"],
    ["10.0.0.0/8 ", "trailing space"],
    ["+10.0.0.0/8", "sign"],
    ["abc", "not an address"],
    ["", "empty"],
    ["/8", "no address"],
  ])("rejects %s (%s)", (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe("parseCidr: IPv6", () => {
  it("parses a fully written address", () => {
    expect(parseCidr("2001:0db8:0000:0000:0000:0000:0000:0001/128")).toEqual({
      version: 6,
      network: 0x20010db8000000000000000000000001n,
      prefix: 128,
    });
  });

  it("expands zero compression in the middle, at the start and at the end", () => {
    expect(parseCidr("2600:1f18::/56")).toEqual({ version: 6, network: 0x26001f18n << 96n, prefix: 56 });
    expect(parseCidr("::1/128")).toEqual({ version: 6, network: 1n, prefix: 128 });
    expect(parseCidr("::/0")).toEqual({ version: 6, network: 0n, prefix: 0 });
    expect(parseCidr("1:2::7:8/128")!.network).toBe(0x00010002000000000000000000070008n);
    expect(parseCidr("1:2:3:4:5:6:7::/128")!.network).toBe(0x00010002000300040005000600070000n);
    expect(parseCidr("::2:3:4:5:6:7:8/128")!.network).toBe(0x00000002000300040005000600070008n);
  });

  it("treats compressed and uncompressed spellings of one address as equal", () => {
    expect(cidrEquals(cidr("2001:db8::1/64"), cidr("2001:0DB8:0:0:0:0:0:1/64"))).toBe(true);
  });

  it("accepts upper- and lower-case hex", () => {
    expect(parseCidr("FE80::ABCD/64")).toEqual(parseCidr("fe80::abcd/64"));
  });

  it("parses an embedded IPv4 address into the last 32 bits", () => {
    expect(parseCidr("::ffff:10.0.0.1/128")).toEqual({ version: 6, network: 0xffff0a000001n, prefix: 128 });
    expect(parseCidr("64:ff9b::192.0.2.33/128")!.network).toBe((0x0064ff9bn << 96n) | 0xc0000221n);
    expect(parseCidr("1:2:3:4:5:6:10.0.0.1/128")!.network).toBe(0x0001000200030004000500060a000001n);
    expect(parseCidr("::10.0.0.1/128")!.network).toBe(0x0a000001n);
  });

  it("clears host bits", () => {
    expect(parseCidr("2600:1f18:abcd:1234::5/48")).toEqual({ version: 6, network: 0x26001f18abcdn << 80n, prefix: 48 });
  });

  it.each([
    ["::1::/64", "two zero compressions"],
    [":::/64", "triple colon"],
    ["1:::2/64", "triple colon inside"],
    ["1:2:3:4:5:6:7:8:9/64", "nine groups"],
    ["1:2:3:4:5:6:7/64", "seven groups without compression"],
    ["1:2:3:4:5:6:7:8::/64", "compression standing for no group"],
    ["::1:2:3:4:5:6:7:8/64", "compression standing for no group, leading"],
    ["1:2:3:4:5:6::10.0.0.1/128", "compression plus embedded IPv4 with eight groups"],
    ["12345::/64", "group with five digits"],
    ["g::/64", "non-hex group"],
    [":1:2:3:4:5:6:7/64", "leading single colon"],
    ["1:2:3:4:5:6:7:/64", "trailing single colon"],
    ["::ffff:10.0.0/128", "bad embedded IPv4"],
    ["::ffff:010.0.0.1/128", "embedded IPv4 with a leading zero"],
    ["::10.0.0.1:1/128", "embedded IPv4 not last"],
    ["10.0.0.1::/128", "embedded IPv4 before the compression"],
    ["1:10.0.0.1::/128", "embedded IPv4 before the compression, after a group"],
    ["fe80::1%eth0/64", "zone index"],
    ["::/129", "prefix above 128"],
    ["::1", "missing prefix"],
  ])("rejects %s (%s)", (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it("parses addresses directly", () => {
    expect(parseIpv4("1.2.3.4")).toBe(0x01020304n);
    expect(parseIpv4("1.2.3")).toBeUndefined();
    expect(parseIpv6("::")).toBe(0n);
    expect(parseIpv6("")).toBeUndefined();
    expect(parseIpv6("1.2.3.4")).toBeUndefined();
  });
});

describe("cidrContains", () => {
  it("a block contains itself, also written with host bits", () => {
    expect(cidrContains(cidr("10.0.0.0/16"), cidr("10.0.0.0/16"))).toBe(true);
    expect(cidrContains(cidr("10.0.0.0/16"), cidr("10.0.9.9/16"))).toBe(true);
  });

  it("contains a narrower block inside it", () => {
    expect(cidrContains(cidr("10.0.0.0/16"), cidr("10.0.5.0/24"))).toBe(true);
    expect(cidrContains(cidr("10.0.0.0/16"), cidr("10.0.255.255/32"))).toBe(true);
    expect(cidrContains(cidr("2600:1f18::/56"), cidr("2600:1f18:0:ff::/64"))).toBe(true);
  });

  it("does not contain a wider block, even one that contains it", () => {
    expect(cidrContains(cidr("10.0.0.0/16"), cidr("10.0.0.0/8"))).toBe(false);
    expect(cidrContains(cidr("10.0.5.0/24"), cidr("10.0.0.0/16"))).toBe(false);
  });

  it("does not contain a block outside it", () => {
    expect(cidrContains(cidr("10.0.0.0/16"), cidr("10.1.0.0/24"))).toBe(false);
    expect(cidrContains(cidr("10.0.0.0/16"), cidr("11.0.0.0/24"))).toBe(false);
    expect(cidrContains(cidr("2600:1f18::/56"), cidr("2600:1f18:0:100::/64"))).toBe(false);
  });

  it("never contains a block of the other family", () => {
    expect(cidrContains(cidr("0.0.0.0/0"), cidr("::/128"))).toBe(false);
    expect(cidrContains(cidr("::/0"), cidr("10.0.0.0/8"))).toBe(false);
    // ::ffff:10.0.0.1 is an IPv6 address even if it embeds an IPv4 one.
    expect(cidrContains(cidr("10.0.0.0/8"), cidr("::ffff:10.0.0.1/128"))).toBe(false);
  });

  it("/0 contains every block of its family", () => {
    for (const inner of ["0.0.0.0/0", "10.0.0.0/8", "255.255.255.255/32", "128.0.0.0/1"]) {
      expect(cidrContains(cidr("0.0.0.0/0"), cidr(inner))).toBe(true);
    }
    for (const inner of ["::/0", "2600:1f18::/56", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "8000::/1"]) {
      expect(cidrContains(cidr("::/0"), cidr(inner))).toBe(true);
    }
  });

  it("/32 and /128 contain only themselves", () => {
    expect(cidrContains(cidr("10.0.0.1/32"), cidr("10.0.0.1/32"))).toBe(true);
    expect(cidrContains(cidr("10.0.0.1/32"), cidr("10.0.0.2/32"))).toBe(false);
    expect(cidrContains(cidr("::1/128"), cidr("::1/128"))).toBe(true);
    expect(cidrContains(cidr("::1/128"), cidr("::2/128"))).toBe(false);
  });
});

describe("cidrEquals", () => {
  it("is true for the same block", () => {
    expect(cidrEquals(cidr("10.0.0.0/16"), cidr("10.0.0.0/16"))).toBe(true);
    expect(cidrEquals(cidr("::/0"), cidr("0::0/0"))).toBe(true);
  });

  it("is false for another prefix, network or family", () => {
    expect(cidrEquals(cidr("10.0.0.0/16"), cidr("10.0.0.0/17"))).toBe(false);
    expect(cidrEquals(cidr("10.0.0.0/16"), cidr("10.1.0.0/16"))).toBe(false);
    // Both have network 0 and prefix 0, but they are different families.
    expect(cidrEquals(cidr("0.0.0.0/0"), cidr("::/0"))).toBe(false);
  });
});
