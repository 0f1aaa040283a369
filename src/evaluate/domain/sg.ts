// Security group permissions against the design's flow tables. A permission (IpPermission)
// groups many sources; we expand it into one entry per source so each can be judged and
// named on its own in the evidence.
import { cidrContains, cidrEquals, parseCidr, type Cidr } from "./cidr.js";
import { describeTraffic, isExactlyPort, normalizeProtocol, permissionPorts, rangeCovers, type PortRange, type ProtocolName } from "./ports.js";
import { asText } from "../../io/text.js";
import { text, type Text } from "../../i18n/index.js";
import { and, or, unknownInside, unknownOf, type Truth, type Unknown } from "../language/truth.js";

export type SourceSpec = "self" | "vpcCidr" | "any" | { cidr: string };

/** One row of a design table: protocol (all = every protocol, any = whatever protocol), port, source or destination. */
export interface FlowSpec {
  protocol: string;
  port?: number;
  source: SourceSpec;
}

export type SourceKind = "ipv4" | "ipv6" | "prefixList" | "securityGroup";

export interface PermissionSource {
  kind: SourceKind;
  value: string;
  cidr?: Cidr;
}

/** One (permission, source) pair. */
export interface PermissionEntry {
  protocol: ProtocolName;
  ports: PortRange | undefined;
  source: PermissionSource;
  /** The permission's own traffic description, e.g. "TCP 443" (English: it is evidence). */
  traffic: string;
  /** The same in the reader's language. */
  trafficText: Text;
}

export interface GroupContext {
  groupId: string;
  /** Associated IPv4 blocks of the group's VPC. */
  vpcCidrs: readonly Cidr[];
}

type Raw = Record<string, unknown>;

function list(value: unknown): Raw[] {
  return Array.isArray(value) ? (value.filter((v) => typeof v === "object" && v !== null && !Array.isArray(v)) as Raw[]) : [];
}

/** Expands IpPermissions (or IpPermissionsEgress) into one entry per source. */
export function expandPermissions(permissions: unknown): PermissionEntry[] {
  const entries: PermissionEntry[] = [];
  for (const perm of list(permissions)) {
    const protocol = normalizeProtocol(asText(perm.IpProtocol ?? ""));
    const ports = permissionPorts(protocol, perm.FromPort, perm.ToPort);
    const trafficText = describeTraffic(protocol, ports);
    const traffic = trafficText("en");
    for (const source of sourcesOf(perm)) if (!isCdkNoTraffic(protocol, perm, source)) entries.push({ protocol, ports, source, traffic, trafficText });
  }
  return entries;
}

/**
 * CDK's "match no traffic" placeholder (allowAllOutbound: false with no egress rule): ICMP type 252
 * code 86 to 255.255.255.255/32. It stands for "no egress", in templates and in live groups CDK
 * created, so it is no flow.
 */
function isCdkNoTraffic(protocol: ProtocolName, perm: Raw, source: PermissionSource): boolean {
  return protocol === "icmp" && perm.FromPort === 252 && perm.ToPort === 86 && source.kind === "ipv4" && source.value === "255.255.255.255/32";
}

function sourcesOf(perm: Raw): PermissionSource[] {
  const sources: PermissionSource[] = [];
  for (const r of list(perm.IpRanges)) sources.push(cidrSource("ipv4", asText(r.CidrIp ?? "")));
  for (const r of list(perm.Ipv6Ranges)) sources.push(cidrSource("ipv6", asText(r.CidrIpv6 ?? "")));
  for (const p of list(perm.PrefixListIds)) sources.push({ kind: "prefixList", value: asText(p.PrefixListId ?? "") });
  for (const g of list(perm.UserIdGroupPairs)) sources.push({ kind: "securityGroup", value: asText(g.GroupId ?? g.GroupName ?? "") });
  return sources;
}

function cidrSource(kind: "ipv4" | "ipv6", value: string): PermissionSource {
  const cidr = parseCidr(value);
  return cidr && cidr.version === (kind === "ipv4" ? 4 : 6) ? { kind, value, cidr } : { kind, value };
}

/** For "only" tables: the entry is exactly this row (same protocol, exactly the one port, an allowed source). */
export function entryIsRow(entry: PermissionEntry, row: FlowSpec, group: GroupContext): boolean {
  if (!protocolIsRow(entry, row)) return false;
  return sourceIsWithin(entry.source, row.source, group);
}

function protocolIsRow(entry: PermissionEntry, row: FlowSpec): boolean {
  if (row.protocol === "any") return true;
  const protocol = normalizeProtocol(row.protocol);
  if (entry.protocol !== protocol) return false;
  if (protocol === "all" || row.port === undefined) return true;
  return isExactlyPort(entry.ports, row.port);
}

/** The source lies within the row's source: self, inside a VPC block, a given CIDR, or anything. */
function sourceIsWithin(source: PermissionSource, spec: SourceSpec, group: GroupContext): boolean {
  if (spec === "any") return true;
  if (spec === "self") return source.kind === "securityGroup" && source.value === group.groupId;
  if (spec === "vpcCidr") {
    const inner = source.cidr;
    return source.kind === "ipv4" && inner !== undefined && group.vpcCidrs.some((block) => cidrContains(block, inner));
  }
  const wanted = parseCidr(spec.cidr);
  return wanted !== undefined && source.cidr !== undefined && cidrEquals(wanted, source.cidr);
}

/** For required flows: some entry lets this traffic through from (or to) the required source. */
export function flowIsCovered(row: FlowSpec, entries: readonly PermissionEntry[], group: GroupContext): boolean {
  return entries.some((e) => trafficCovers(e, row) && sourceCovers(e.source, row.source, group));
}

function trafficCovers(entry: PermissionEntry, row: FlowSpec): boolean {
  if (entry.protocol === "all" || row.protocol === "any") return true;
  const protocol = normalizeProtocol(row.protocol);
  if (entry.protocol !== protocol) return false;
  return row.port === undefined || rangeCovers(entry.ports, row.port);
}

function sourceCovers(source: PermissionSource, spec: SourceSpec, group: GroupContext): boolean {
  if (spec === "vpcCidr") {
    const outer = source.cidr;
    return source.kind === "ipv4" && outer !== undefined && group.vpcCidrs.some((block) => cidrContains(outer, block));
  }
  return sourceIsWithin(source, spec, group);
}

export function describeSource(source: PermissionSource, group: GroupContext): Text {
  switch (source.kind) {
    case "securityGroup":
      return source.value === group.groupId ? text("sg.source.itselfId", { id: source.value }) : text("sg.source.group", { id: source.value });
    case "prefixList":
      return text("sg.source.prefixList", { id: source.value });
    default:
      return () => source.value;
  }
}

export type Direction = "ingress" | "egress";

/** "TCP 443 from the VPC CIDR" (ingress) or "TCP 443 to anywhere" (egress). */
export function describeRow(row: FlowSpec, direction: Direction): Text {
  const traffic =
    row.protocol === "any"
      ? text("sg.traffic.any")
      : describeTraffic(normalizeProtocol(row.protocol), row.port === undefined ? undefined : { from: row.port, to: row.port });
  const source =
    row.source === "self"
      ? text("sg.source.itself")
      : row.source === "vpcCidr"
        ? text("sg.source.vpcCidr")
        : row.source === "any"
          ? text("sg.source.anywhere")
          : (
              (cidr: string) => () =>
                cidr
            )(row.source.cidr);
  return flow(traffic, source, direction);
}

/** Traffic from a source (ingress) or to a destination (egress). */
export function flow(traffic: Text, source: Text, direction: Direction): Text {
  return text(direction === "ingress" ? "sg.flow.from" : "sg.flow.to", { traffic, source });
}

// ---------------------------------------------------------------- planned groups (values not known before deploy)

/** A permission entry of a planned group; the parts that are Unresolved make matches unknown. */
export interface UncertainEntry {
  entry: PermissionEntry;
  /** Causes per part; a whole permission that is Unresolved is unknown in every part. */
  protocol?: Unknown;
  ports?: Unknown;
  source?: Unknown;
}

/** Like expandPermissions, keeping track of Unresolved protocol, ports and sources. */
export function expandUncertain(permissions: unknown): UncertainEntry[] {
  const out: UncertainEntry[] = [];
  if (!Array.isArray(permissions)) return out;
  for (const perm of permissions) {
    const whole = unknownOf(perm);
    if (whole) {
      out.push({
        entry: {
          protocol: "all",
          ports: undefined,
          source: { kind: "ipv4", value: "(unresolved)" },
          traffic: "(unresolved)",
          trafficText: () => "(unresolved)",
        },
        protocol: whole,
        ports: whole,
        source: whole,
      });
      continue;
    }
    if (typeof perm !== "object" || perm === null) continue;
    const p = perm as Raw;
    const protocolUnknown = unknownOf(p.IpProtocol);
    const portsUnknown = unknownOf(p.FromPort) ?? unknownOf(p.ToPort);
    const known = {
      ...p,
      IpProtocol: protocolUnknown ? "all" : p.IpProtocol,
      FromPort: portsUnknown ? undefined : p.FromPort,
      ToPort: portsUnknown ? undefined : p.ToPort,
    };
    for (const source of ["IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs"]) {
      const items = p[source];
      if (unknownOf(items)) {
        out.push({
          entry: expandPermissions([{ ...known, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [], [source]: [{}] }])[0]!,
          source: unknownOf(items)!,
          ...parts(protocolUnknown, portsUnknown),
        });
        continue;
      }
      for (const item of list(items)) {
        const sourceUnknown = unknownInside(item);
        const only = { ...known, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [], [source]: [sourceUnknown ? {} : item] };
        for (const entry of expandPermissions([only])) {
          if (portsUnknown || protocolUnknown) {
            entry.trafficText = protocolUnknown
              ? text("sg.traffic.protocolUnknown")
              : text("sg.traffic.portsUnknown", { protocol: entry.protocol.toUpperCase() });
            entry.traffic = entry.trafficText("en");
          }
          out.push({ entry, ...parts(protocolUnknown, portsUnknown), ...(sourceUnknown ? { source: sourceUnknown } : {}) });
        }
      }
    }
  }
  return out;
}

function parts(protocol: Unknown | undefined, ports: Unknown | undefined): Pick<UncertainEntry, "protocol" | "ports"> {
  return { ...(protocol ? { protocol } : {}), ...(ports ? { ports } : {}) };
}

/** The group context where the VPC's blocks may be unknown. */
export interface UncertainGroup extends GroupContext {
  vpcUnknown?: Unknown;
}

function protocolTruth(u: UncertainEntry, row: FlowSpec, exact: boolean): Truth {
  if (row.protocol === "any") return true;
  if (u.protocol) return u.protocol;
  const e = u.entry;
  const protocol = normalizeProtocol(row.protocol);
  if (!exact && e.protocol === "all") return true;
  if (e.protocol !== protocol) return false;
  if (protocol === "all" || row.port === undefined) return true;
  if (u.ports) return u.ports;
  return exact ? isExactlyPort(e.ports, row.port) : rangeCovers(e.ports, row.port);
}

function sourceTruth(u: UncertainEntry, spec: SourceSpec, group: UncertainGroup, covers: boolean): Truth {
  if (spec === "any") return true;
  if (u.source) return u.source;
  if (spec === "vpcCidr" && group.vpcUnknown) return u.entry.source.kind === "ipv4" && u.entry.source.cidr !== undefined ? group.vpcUnknown : false;
  return covers ? sourceCovers(u.entry.source, spec, group) : sourceIsWithin(u.entry.source, spec, group);
}

/** Three-valued entryIsRow. */
export function entryIsRowTruth(u: UncertainEntry, row: FlowSpec, group: UncertainGroup): Truth {
  return and([protocolTruth(u, row, true), sourceTruth(u, row.source, group, false)]);
}

/** Three-valued flowIsCovered. */
export function flowIsCoveredTruth(row: FlowSpec, entries: readonly UncertainEntry[], group: UncertainGroup): Truth {
  return or(entries.map((u) => and([protocolTruth(u, row, false), sourceTruth(u, row.source, group, true)])));
}
