// permissions: a security group's ingress or egress permissions against the design's flow
// table: `only` these rows, `include` these flows, `none` of these (see domain/sg.ts).
import type { ResourceObject } from "../../../resources/catalog.js";
import { asText } from "../../../io/text.js";
import { parseCidr, type Cidr } from "../../domain/cidr.js";
import {
  describeRow,
  describeSource,
  entryIsRow,
  expandPermissions,
  flowIsCovered,
  type FlowSpec,
  type GroupContext,
  type PermissionEntry,
} from "../../domain/sg.js";
import type { CompileContext } from "../context.js";
import { describeError } from "../messages.js";
import type { ConditionOperator, JsonSchema } from "../operator.js";
import { IncompleteData, type Failure, type Frame } from "../types.js";

type Mode = "only" | "include" | "none";
type Row = { protocol: string; port?: number; source: "self" | "vpcCidr" | "any" | { cidr: string } };

interface PermissionsArg {
  direction: "ingress" | "egress";
  only?: Row[];
  include?: Row[];
  none?: Row[];
}

const MODES: readonly Mode[] = ["only", "include", "none"];

const ROWS: JsonSchema = {
  type: "array",
  minItems: 1,
  items: {
    type: "object",
    additionalProperties: false,
    required: ["protocol", "source"],
    properties: {
      protocol: { description: "all (protocol -1), any (whatever protocol), tcp, udp, icmp, icmpv6 or a protocol number", type: "string" },
      port: { type: "integer", minimum: 0, maximum: 65535, description: "Exactly this one port (a wider range does not match)." },
      source: {
        description: "self (the group itself), vpcCidr (inside an associated IPv4 block of the group's VPC), any, or a given CIDR",
        anyOf: [
          { enum: ["self", "vpcCidr", "any"] },
          { type: "object", additionalProperties: false, required: ["cidr"], properties: { cidr: { type: "string" } } },
        ],
      },
    },
  },
};

/** The rows of a flow table; a CIDR source must parse. */
function flowRows(rows: Row[], ctx: CompileContext, key: Mode): FlowSpec[] {
  return rows.map((r, i) => {
    if (typeof r.source === "object" && parseCidr(r.source.cidr) === undefined)
      ctx.fail("source: self, vpcCidr, any, or { cidr: <block> }", [key, i, "source"]);
    const row: FlowSpec = { protocol: r.protocol, source: r.source };
    if (r.port !== undefined) row.port = r.port;
    return row;
  });
}

export const permissions: ConditionOperator<PermissionsArg> = {
  key: "permissions",
  subject: false,
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["direction"],
    properties: { direction: { enum: ["ingress", "egress"] }, only: ROWS, include: ROWS, none: ROWS },
    oneOf: MODES.map((k) => ({ required: [k] })),
  },
  doc: {
    signature: "permissions: {direction, only/include/none: rows}",
    meaning: "security group flow tables, [below](#security-group-flow-tables)",
    example: "{ permissions: { direction: ingress, only: [{ protocol: all, source: self }, { protocol: tcp, port: 443, source: vpcCidr }] } }",
  },
  // A flow not covered (include), an entry that should not be there, or the group's VPC missing.
  evidence: () => ["direction", "permission", "protocol", "fromPort", "toPort", "source", "sourceType", "missing", "port", "type"],
  compile(arg, ctx) {
    const direction = arg.direction;
    const mode = MODES.find((k) => arg[k] !== undefined)!;
    const rows = flowRows(arg[mode]!, ctx, mode);
    const field = direction === "ingress" ? "IpPermissions" : "IpPermissionsEgress";
    const usesVpc = rows.some((r) => r.source === "vpcCidr");
    if (ctx.resourceType !== null) {
      ctx.addNeed(ctx.resourceType, field);
      if (usesVpc) ctx.addNeed("AWS::EC2::VPC", "CidrBlockAssociationSet");
    }
    if (usesVpc) ctx.addLookup("AWS::EC2::VPC", ["CidrBlockAssociationSet"]);
    const word: "from" | "to" = direction === "ingress" ? "from" : "to";

    const groupOf = (sg: Record<string, unknown>, f: Frame): GroupContext | { missingVpc: string } => {
      const groupId = asText(sg.GroupId ?? "");
      if (!usesVpc) return { groupId, vpcCidrs: [] };
      const vpcId = asText(sg.VpcId ?? "");
      const vpc = f.index.lookup("AWS::EC2::VPC", vpcId);
      if (!vpc) {
        const because = f.index.missingBecause("AWS::EC2::VPC", vpcId);
        if (because) throw new IncompleteData(`VPC ${vpcId} could not be read: ${describeError(because)}`, because);
        return { missingVpc: vpcId };
      }
      return { groupId, vpcCidrs: associatedBlocks(vpc) };
    };

    const violations = (v: unknown, f: Frame): Failure[] => {
      if (!isMapping(v)) return [{ reason: "not a security group", evidence: {} }];
      const group = groupOf(v, f);
      if ("missingVpc" in group)
        return [{ reason: `the group's VPC ${group.missingVpc} is not in the snapshot`, evidence: { missing: group.missingVpc, type: "AWS::EC2::VPC" } }];
      const entries = expandPermissions(v[field]);
      if (mode === "include") {
        return rows
          .filter((row) => !flowIsCovered(row, entries, group))
          .map((row) => ({
            reason: `no ${direction} permission allows ${describeRow(row, word)}`,
            evidence: {
              direction,
              missing: describeRow(row, word),
              protocol: row.protocol,
              port: row.port ?? null,
              source: typeof row.source === "string" ? row.source : row.source.cidr,
            },
          }));
      }
      const bad = entries.filter((e) => {
        const matched = rows.some((row) => entryIsRow(e, row, group));
        return mode === "only" ? !matched : matched;
      });
      return bad.map((e) => entryFailure(e, group, direction, word));
    };
    const describe = `${direction} ${mode} ${rows.map((r) => describeRow(r, word)).join(", ")}`;
    return { describe, holds: (v, f) => violations(v, f).length === 0, explain: violations };
  },
};

function entryFailure(e: PermissionEntry, group: GroupContext, direction: string, word: string): Failure {
  const source = describeSource(e.source, group);
  return {
    reason: `${direction} ${e.traffic} ${word} ${source}`,
    evidence: {
      direction,
      permission: e.traffic,
      protocol: e.protocol,
      fromPort: e.ports?.from ?? null,
      toPort: e.ports?.to ?? null,
      source: e.source.value,
      sourceType: e.source.kind,
    },
  };
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The IPv4 blocks associated with a VPC (state `associated`). */
function associatedBlocks(vpc: ResourceObject): Cidr[] {
  const set = vpc.CidrBlockAssociationSet;
  if (!Array.isArray(set)) return [];
  const blocks: Cidr[] = [];
  for (const a of set) {
    if (!isMapping(a) || !isMapping(a.CidrBlockState) || a.CidrBlockState.State !== "associated") continue;
    const c = typeof a.CidrBlock === "string" ? parseCidr(a.CidrBlock) : undefined;
    if (c && c.version === 4) blocks.push(c);
  }
  return blocks;
}
