// CIDR parsing and containment for IPv4 and IPv6, on BigInt so both families share one path.

export interface Cidr {
  version: 4 | 6;
  /** Network address with host bits cleared. */
  network: bigint;
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

/** Parsed blocks by text: the same few CIDRs (0.0.0.0/0, the VPC's blocks) recur in every group. */
const parsedCidrs = new Map<string, Cidr | null>();
const MAX_CACHED = 10_000;

/** Parses "10.0.0.0/16" or "2600:1f18::/56"; undefined when it is not a CIDR block. */
export function parseCidr(text: string): Cidr | undefined {
  const hit = parsedCidrs.get(text);
  if (hit !== undefined) return hit ?? undefined;
  const parsed = parseCidrText(text);
  if (parsedCidrs.size >= MAX_CACHED) parsedCidrs.clear();
  parsedCidrs.set(text, parsed ? Object.freeze(parsed) : null);
  return parsed;
}

function parseCidrText(text: string): Cidr | undefined {
  const slash = text.indexOf("/");
  if (slash < 0 || text.indexOf("/", slash + 1) >= 0) return undefined;
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const v4 = parseIpv4(addressText);
  if (v4 !== undefined) return prefix <= 32 ? { version: 4, network: clearHostBits(v4, prefix, 32), prefix } : undefined;
  const v6 = parseIpv6(addressText);
  if (v6 !== undefined) return prefix <= 128 ? { version: 6, network: clearHostBits(v6, prefix, 128), prefix } : undefined;
  return undefined;
}

function clearHostBits(address: bigint, prefix: number, bits: number): bigint {
  const hostBits = BigInt(bits - prefix);
  return (address >> hostBits) << hostBits;
}

export function parseIpv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    // No leading zeros: "010" is ambiguous (octal in some parsers), AWS never writes it.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

export function parseIpv6(text: string): bigint | undefined {
  if (text.length === 0 || text.length > 45) return undefined;
  let head = text;
  let tail = "";
  const doubleColon = text.indexOf("::");
  if (doubleColon >= 0) {
    if (text.indexOf("::", doubleColon + 1) >= 0) return undefined;
    head = text.slice(0, doubleColon);
    tail = text.slice(doubleColon + 2);
  }
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === "" ? [] : tail.split(":");
  const groups = doubleColon >= 0 ? [...headGroups, ...tailGroups] : headGroups;
  // An embedded IPv4 address takes the last two groups.
  const last = groups[groups.length - 1];
  let embedded: bigint | undefined;
  if (last !== undefined && last.includes(".")) {
    // It must end the address: "10.0.0.1::" puts it before the zeros.
    if (doubleColon >= 0 && tail === "") return undefined;
    embedded = parseIpv4(last);
    if (embedded === undefined) return undefined;
  }
  const hexGroups = embedded !== undefined ? groups.length - 1 : groups.length;
  const total = hexGroups + (embedded !== undefined ? 2 : 0);
  if (doubleColon >= 0 ? total > 7 : total !== 8) return undefined;
  const values: bigint[] = [];
  for (let i = 0; i < hexGroups; i++) {
    const g = groups[i]!;
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    values.push(BigInt(parseInt(g, 16)));
  }
  const zeros = 8 - total;
  const headCount = doubleColon >= 0 ? headGroups.length : hexGroups;
  const all: bigint[] = [...values.slice(0, headCount), ...Array<bigint>(zeros).fill(0n), ...values.slice(headCount)];
  if (embedded !== undefined) all.push(embedded >> 16n, embedded & 0xffffn);
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/** True when every address of `inner` is inside `outer` (same family). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.version !== inner.version || inner.prefix < outer.prefix) return false;
  const hostBits = BigInt(BITS[outer.version] - outer.prefix);
  return inner.network >> hostBits === outer.network >> hostBits;
}

export function cidrEquals(a: Cidr, b: Cidr): boolean {
  return a.version === b.version && a.prefix === b.prefix && a.network === b.network;
}

/** The canonical text of a block: dotted IPv4, RFC 5952 IPv6 (lowercase, longest zero run as "::"). */
export function formatCidr(c: Cidr): string {
  if (c.version === 4) {
    const octets = [24n, 16n, 8n, 0n].map((shift) => String((c.network >> shift) & 0xffn));
    return `${octets.join(".")}/${c.prefix}`;
  }
  const groups = Array.from({ length: 8 }, (_, i) => Number((c.network >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of two or more zero groups (the first of equal runs) becomes "::".
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  const text = best < 0 ? hex.join(":") : `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLength).join(":")}`;
  return `${text}/${c.prefix}`;
}
