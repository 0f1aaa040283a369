// Properties of the condition operators: CIDR parsing and containment, security group ports and
// protocols, IAM policy matching. Inputs are generated; values from AWS data are arbitrary, so
// every function must also survive arbitrary input (no throw but its own documented error).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cidrContains, cidrEquals, formatCidr, parseCidr, parseIpv4, parseIpv6, type Cidr } from "../../src/evaluate/domain/cidr.js";
import { describeTraffic, isExactlyPort, normalizeProtocol, permissionPorts, rangeCovers } from "../../src/evaluate/domain/ports.js";
import {
  actionWithin,
  conditionValues,
  globMatch,
  hasCondition,
  PolicyShapeError,
  principalIsEveryone,
  principalServices,
  statementsOf,
  wildcardMatch,
} from "../../src/evaluate/domain/iam.js";
import { countRun, fuzzRuns } from "./harness.js";

/** fc.assert with the run counted for the README's figures. */
function check<T extends unknown[]>(name: string, arbs: { [K in keyof T]: fc.Arbitrary<T[K]> }, predicate: (...args: T) => void, runs = 300): void {
  fc.assert(
    fc.property(...(arbs as unknown as [fc.Arbitrary<unknown>]), (...args: unknown[]) => {
      const start = performance.now();
      predicate(...(args as T));
      countRun(name, performance.now() - start);
    }),
    { numRuns: fuzzRuns(runs) },
  );
}

const HOSTILE_STRINGS = [
  "",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "-1",
  "all",
  "TCP",
  "0.0.0.0/0",
  "::/0",
  "*",
  "?",
  "😀",
  "\u0000",
  "a".repeat(10_000),
];
const anyString = fc.oneof(fc.string(), fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: "binary" }));
const hostileKey = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "prototype", "Statement", "Principal", "AWS", "Service", "Condition", "Action", "NotAction", "Effect", "Sid"),
  fc.string({ maxLength: 8 }),
);
/** Arbitrary JSON with IAM-ish and prototype keys, built with JSON.parse so "__proto__" is an own key. */
const anyJson = fc.jsonValue({ maxDepth: 4 }).chain((v) =>
  fc.array(fc.tuple(hostileKey, fc.jsonValue({ maxDepth: 3 })), { maxLength: 4 }).map((extra) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
    const text =
      JSON.stringify(v).slice(0, -1) + extra.map(([k, x]) => `${Object.keys(v).length > 0 ? "," : ""}${JSON.stringify(k)}:${JSON.stringify(x)}`).join("") + "}";
    try {
      return JSON.parse(text.replace("{,", "{")) as unknown;
    } catch {
      return v;
    }
  }),
);

// ------------------------------------------------------------------------------------ CIDR

const v4 = fc
  .tuple(fc.bigInt({ min: 0n, max: 2n ** 32n - 1n }), fc.integer({ min: 0, max: 32 }))
  .map(([a, p]) => parseCidr(`${formatCidr({ version: 4, network: a, prefix: 32 }).slice(0, -3)}/${p}`)!);
const v6 = fc.tuple(fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }), fc.integer({ min: 0, max: 128 }), fc.constantFrom(0n, 1n, 0xffffn)).map(([a, p, mask]) => {
  // Some addresses with runs of zero groups, so "::" compression is exercised.
  const addr = mask === 0n ? a & ~(0xffffffffn << 48n) : a;
  const text = formatCidr({ version: 6, network: addr, prefix: 128 }).replace(/\/128$/, "");
  return parseCidr(`${text}/${p}`)!;
});
const block = fc.oneof(v4, v6);

/** A block inside `outer`: a longer prefix with random host bits of `outer` set. */
function inside(outer: Cidr): fc.Arbitrary<Cidr> {
  const bits = outer.version === 4 ? 32 : 128;
  return fc.tuple(fc.integer({ min: outer.prefix, max: bits }), fc.bigInt({ min: 0n, max: 2n ** BigInt(bits) - 1n })).map(([prefix, host]) => {
    const hostMask = (1n << BigInt(bits - outer.prefix)) - 1n;
    const network = outer.network | (host & hostMask);
    const cleared = (network >> BigInt(bits - prefix)) << BigInt(bits - prefix);
    return { version: outer.version, network: cleared, prefix };
  });
}

describe("property: CIDR", () => {
  it("format then parse gives the same block; parse∘format is the identity on canonical text", () => {
    check("cidr: parse∘format round trip", [block], (c) => {
      expect(c).toBeDefined();
      const text = formatCidr(c);
      const again = parseCidr(text)!;
      expect(cidrEquals(again, c)).toBe(true);
      expect(formatCidr(again)).toBe(text);
    });
  });

  it("containment is reflexive, antisymmetric and transitive", () => {
    check("cidr: reflexive", [block], (c) => expect(cidrContains(c, c)).toBe(true));
    check("cidr: transitive", [block.chain((a) => inside(a).chain((b) => inside(b).map((c) => [a, b, c] as const)))], ([a, b, c]) => {
      expect(cidrContains(a, b)).toBe(true);
      expect(cidrContains(b, c)).toBe(true);
      expect(cidrContains(a, c)).toBe(true);
    });
    check("cidr: antisymmetric", [block, block], (a, b) => {
      if (cidrContains(a, b) && cidrContains(b, a)) expect(cidrEquals(a, b)).toBe(true);
      if (a.version !== b.version) expect(cidrContains(a, b)).toBe(false);
    });
  });

  it("parsing arbitrary text never throws, and whatever parses formats back to a block that parses", () => {
    check(
      "cidr: arbitrary text",
      [fc.oneof(anyString, fc.stringMatching(/^[0-9a-fA-F:.]{0,45}\/[0-9]{1,3}$/))],
      (text) => {
        const c = parseCidr(text);
        parseIpv4(text);
        parseIpv6(text);
        if (c) expect(cidrEquals(parseCidr(formatCidr(c))!, c)).toBe(true);
      },
      1000,
    );
  });
});

// ----------------------------------------------------------------------------------- ports

const protocol = fc.oneof(
  fc.constantFrom("-1", "all", "tcp", "TCP", "6", "udp", "17", "icmp", "1", "icmpv6", "58", "50", "constructor", "__proto__", "toString"),
  anyString,
);
const port = fc.oneof(fc.integer({ min: -1, max: 65_536 }), fc.constantFrom<unknown>(undefined, null, "22", 1.5, 1e20, NaN, -0));

describe("property: ports and protocols", () => {
  it("normalizeProtocol returns a string and is idempotent", () => {
    check(
      "ports: normalizeProtocol",
      [protocol],
      (p) => {
        const n = normalizeProtocol(p);
        expect(typeof n).toBe("string");
        expect(normalizeProtocol(n)).toBe(n);
      },
      500,
    );
  });

  it("a range covers exactly the ports between its ends; all-ports covers everything", () => {
    check(
      "ports: rangeCovers",
      [protocol, port, port, fc.integer({ min: -1, max: 65_536 })],
      (p, from, to, probe) => {
        const proto = normalizeProtocol(p);
        const range = permissionPorts(proto, from, to);
        if (range === undefined) expect(rangeCovers(range, probe)).toBe(true);
        else {
          expect(rangeCovers(range, probe)).toBe(range.from <= probe && probe <= range.to);
          expect(isExactlyPort(range, probe)).toBe(range.from === probe && range.to === probe);
        }
        expect(typeof describeTraffic(proto, range)).toBe("string");
      },
      500,
    );
  });
});

// ------------------------------------------------------------------------------------- IAM

/** A reference implementation: the glob as a regular expression (ASCII only). */
function referenceGlob(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = [...pattern].map((c) => (c === "*" ? "[\\s\\S]*" : c === "?" ? "[\\s\\S]" : c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&"))).join("");
  return new RegExp(`^${source}$`, ignoreCase ? "i" : "").test(value);
}

const asciiGlobChar = fc.constantFrom("a", "b", "A", "B", ":", "*", "?", "k", "m", "s", "-", "\\", ".", "(");
const glob = fc.array(asciiGlobChar, { maxLength: 10 }).map((cs) => cs.join(""));
const valueChar = fc.constantFrom("a", "b", "A", "B", ":", "k", "m", "s", "-", "*", "?", "\\", ".", "(");
const value = fc.array(valueChar, { maxLength: 12 }).map((cs) => cs.join(""));

describe("property: IAM policy matching", () => {
  it("globMatch and wildcardMatch agree with a regular-expression reference on ASCII", () => {
    check(
      "iam: glob vs reference",
      [glob, value],
      (p, v) => {
        expect(globMatch(p, v)).toBe(referenceGlob(p, v, false));
        expect(wildcardMatch(p, v)).toBe(referenceGlob(p, v, true));
      },
      2000,
    );
  });

  it("an action is within itself and within *; kms:GenerateDataKey* covers its extensions", () => {
    check(
      "iam: actionWithin",
      [value, value],
      (service, name) => {
        const action = `${service.replace(/[*?]/g, "")}:${name}`;
        if (!/[*?]/.test(action)) expect(actionWithin(action, [action])).toBe(true);
        expect(actionWithin(action, ["*"])).toBe(true);
        expect(actionWithin(`kms:GenerateDataKey${name.replace(/[*?]/g, "")}`, ["kms:GenerateDataKey*"])).toBe(true);
      },
      500,
    );
  });

  it("policy documents of any shape: statements or PolicyShapeError, never another exception", () => {
    check(
      "iam: arbitrary policy documents",
      [anyJson],
      (doc) => {
        let statements;
        try {
          statements = statementsOf(doc);
        } catch (err) {
          expect(err).toBeInstanceOf(PolicyShapeError);
          return;
        }
        for (const st of statements) {
          principalIsEveryone(st);
          principalServices(st);
          hasCondition(st);
          for (const op of ["StringEquals", "stringequals", "__proto__", "constructor"])
            for (const key of ["aws:SourceAccount", "__proto__", "toString"]) conditionValues(st, op, key);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      },
      1000,
    );
  });
});
