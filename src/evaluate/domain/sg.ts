// Security group permissions against the design's flow tables. A permission (IpPermission)
// groups many sources; we expand it into one entry per source so each can be judged and
// named on its own in the evidence.
import { cidrContains, cidrEquals, parseCidr, type Cidr } from "./cidr.js";
import { describeTraffic, isExactlyPort, normalizeProtocol, permissionPorts, rangeCovers, type PortRange, type ProtocolName } from "./ports.js";
import { asText } from "../../io/text.js";

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
  /** The permission's own traffic description, e.g. "TCP 443". */
  traffic: string;
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
    const traffic = describeTraffic(protocol, ports);
    for (const source of sourcesOf(perm)) entries.push({ protocol, ports, source, traffic });
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

export function describeSource(source: PermissionSource, group: GroupContext): string {
  switch (source.kind) {
    case "securityGroup":
      return source.value === group.groupId ? `${source.value} (itself)` : `security group ${source.value}`;
    case "prefixList":
      return `prefix list ${source.value}`;
    default:
      return source.value;
  }
}

/** "TCP 443 from the VPC CIDR" (ingress) or "TCP 443 to anywhere" (egress). */
export function describeRow(row: FlowSpec, word: "from" | "to" | "with" = "with"): string {
  const protocol =
    row.protocol === "any"
      ? "any traffic"
      : describeTraffic(normalizeProtocol(row.protocol), row.port === undefined ? undefined : { from: row.port, to: row.port });
  const source = row.source === "self" ? "itself" : row.source === "vpcCidr" ? "the VPC CIDR" : row.source === "any" ? "anywhere" : row.source.cidr;
  return `${protocol} ${word} ${source}`;
}
