// Security group protocols and port ranges, with the EC2 semantics spelled out once:
// "-1" is every protocol and port; tcp/6, udp/17, icmp/1, icmpv6/58 carry ports (ICMP: type and
// code); any other protocol number allows all ports whatever FromPort/ToPort say.

/** "all", "tcp", "udp", "icmp", "icmpv6", or another protocol number as text. */
export type ProtocolName = string;

const NAMES: Record<string, ProtocolName> = {
  "-1": "all",
  all: "all",
  tcp: "tcp",
  "6": "tcp",
  udp: "udp",
  "17": "udp",
  icmp: "icmp",
  "1": "icmp",
  icmpv6: "icmpv6",
  "58": "icmpv6",
};

/** Canonical protocol name: "all", "tcp", "udp", "icmp", "icmpv6", or the protocol number as text. */
export function normalizeProtocol(ipProtocol: string): ProtocolName {
  // Own keys only: an IpProtocol of "constructor" must not find Object.prototype's function.
  const key = ipProtocol.toLowerCase();
  return Object.hasOwn(NAMES, key) ? NAMES[key]! : ipProtocol;
}

/** Inclusive range; for ICMP `from` is the type and `to` the code. */
export interface PortRange {
  from: number;
  to: number;
}

/** The ports a permission opens: undefined means all ports of the protocol. */
export function permissionPorts(protocol: ProtocolName, fromPort: unknown, toPort: unknown): PortRange | undefined {
  if (protocol !== "tcp" && protocol !== "udp" && protocol !== "icmp" && protocol !== "icmpv6") return undefined;
  if (typeof fromPort !== "number" || typeof toPort !== "number") return undefined;
  if (protocol === "tcp" || protocol === "udp") {
    if (fromPort === -1 || (fromPort <= 0 && toPort >= 65535)) return undefined;
    return { from: fromPort, to: toPort };
  }
  if (fromPort === -1) return undefined; // all ICMP types
  return { from: fromPort, to: toPort };
}

/** True when the range is exactly one port `port` (a wider range is not "port 443"). */
export function isExactlyPort(range: PortRange | undefined, port: number): boolean {
  return range !== undefined && range.from === port && range.to === port;
}

/** True when traffic to `port` is allowed by the range (undefined = all ports). */
export function rangeCovers(range: PortRange | undefined, port: number): boolean {
  return range === undefined || (range.from <= port && port <= range.to);
}

/** Human text: "all traffic", "TCP 443", "TCP 8080-8081", "UDP all ports", "ICMP type 8", "protocol 50". */
export function describeTraffic(protocol: ProtocolName, range: PortRange | undefined): string {
  switch (protocol) {
    case "all":
      return "all traffic";
    case "tcp":
    case "udp": {
      const name = protocol.toUpperCase();
      if (range === undefined) return `${name} all ports`;
      return range.from === range.to ? `${name} ${range.from}` : `${name} ${range.from}-${range.to}`;
    }
    case "icmp":
    case "icmpv6": {
      const name = protocol === "icmp" ? "ICMP" : "ICMPv6";
      if (range === undefined) return `${name} all types`;
      return range.to === -1 ? `${name} type ${range.from}` : `${name} type ${range.from} code ${range.to}`;
    }
    default:
      return `protocol ${protocol}`;
  }
}
