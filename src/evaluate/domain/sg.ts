// Security group permissions against the design's flow tables. A permission (IpPermission)
// groups many sources; we expand it into one entry per source so each can be judged and
// named on its own in the evidence.
import { cidrContains, cidrEquals, parseCidr, type Cidr } from "./cidr.js";
import { describeTraffic, isExactlyPort, normalizeProtocol, permissionPorts, rangeCovers, type PortRange, type ProtocolName } from "./ports.js";
import { asText } from "../../io/text.js";
import { text, type Text } from "../../i18n/index.js";

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
    for (const source of sourcesOf(perm)) entries.push({ protocol, ports, source, traffic, trafficText });
  }
  return entries;
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
