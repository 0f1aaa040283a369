// permissions: a security group's ingress or egress permissions against the design's flow
// table: `only` these rows, `include` these flows, `none` of these (see domain/sg.ts).
import { joined, text, type Text } from "../../../i18n/index.js";
import type { ResourceObject } from "../../../resources/catalog.js";
import { asText } from "../../../io/text.js";
import { parseCidr, type Cidr } from "../../domain/cidr.js";
import {
  describeRow,
  describeSource,
  entryIsRow,
  entryIsRowTruth,
  expandPermissions,
  expandUncertain,
  flow,
  flowIsCovered,
  flowIsCoveredTruth,
  type Direction,
  type FlowSpec,
  type GroupContext,
  type PermissionEntry,
  type UncertainGroup,
} from "../../domain/sg.js";
import type { CompileContext } from "../context.js";
import { describeError } from "../messages.js";
import type { ConditionOperator, JsonSchema } from "../operator.js";
import { and, not as notTruth, or, unknownInside, unknownOf, type Truth } from "../truth.js";
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

    const groupOf = (sg: Record<string, unknown>, f: Frame): GroupContext | { missingVpc: string } => {
      const groupId = asText(sg.GroupId ?? "");
      if (!usesVpc) return { groupId, vpcCidrs: [] };
      const vpcId = asText(sg.VpcId ?? "");
      const vpc = f.index.lookup("AWS::EC2::VPC", vpcId);
      if (!vpc) {
        const because = f.index.missingBecause("AWS::EC2::VPC", vpcId);
        if (because) throw new IncompleteData(text("engine.unreadable", { type: "VPC", id: vpcId, error: describeError(because) }), because);
        return { missingVpc: vpcId };
      }
      return { groupId, vpcCidrs: associatedBlocks(vpc) };
    };

    const notCovered = (row: FlowSpec): Failure => {
      const missing = describeRow(row, direction);
      return {
        reason: text("sg.notAllowed", { direction: DIRECTION[direction], flow: missing }),
        evidence: {
          direction,
          missing: missing("en"),
          protocol: row.protocol,
          port: row.port ?? null,
          source: typeof row.source === "string" ? row.source : row.source.cidr,
        },
        words: { direction: DIRECTION[direction], missing },
      };
    };
    const missingVpc = (id: string): Failure => ({ reason: text("sg.vpcMissing", { id }), evidence: { missing: id, type: "AWS::EC2::VPC" } });

    const violations = (v: unknown, f: Frame): Failure[] => {
      if (!isMapping(v)) return [{ reason: text("sg.notAGroup"), evidence: {} }];
      const group = groupOf(v, f);
      if ("missingVpc" in group) return [missingVpc(group.missingVpc)];
      const entries = expandPermissions(v[field]);
      if (mode === "include") return rows.filter((row) => !flowIsCovered(row, entries, group)).map(notCovered);
      const bad = entries.filter((e) => {
        const matched = rows.some((row) => entryIsRow(e, row, group));
        return mode === "only" ? !matched : matched;
      });
      return bad.map((e) => entryFailure(e, group, direction));
    };
    // Planned groups: the VPC (or its blocks) may not be known before deploy.
    const uncertainGroup = (sg: Record<string, unknown>, f: Frame): UncertainGroup | { missingVpc: string } => {
      if (!usesVpc) return { groupId: asText(sg.GroupId ?? ""), vpcCidrs: [] };
      const vpcUnknown = unknownOf(sg.VpcId);
      if (vpcUnknown) return { groupId: asText(sg.GroupId ?? ""), vpcCidrs: [], vpcUnknown };
      const group = groupOf(sg, f);
      if ("missingVpc" in group) return group;
      const vpc = f.index.lookup("AWS::EC2::VPC", asText(sg.VpcId ?? ""));
      const blocks = vpc ? unknownInside(vpc.CidrBlockAssociationSet) : undefined;
      return blocks ? { ...group, vpcUnknown: blocks } : group;
    };
    // Each entry (or required flow) is a definite violation, a possible one, or fine.
    const judge = (v: unknown, f: Frame): { definite: Failure[]; unknown: Truth } => {
      if (!isMapping(v)) return { definite: [{ reason: text("sg.notAGroup"), evidence: {} }], unknown: true };
      const whole = unknownOf(v[field]);
      if (whole) return { definite: [], unknown: whole };
      const group = uncertainGroup(v, f);
      if ("missingVpc" in group) return { definite: [missingVpc(group.missingVpc)], unknown: true };
      const entries = expandUncertain(v[field]);
      const definite: Failure[] = [];
      const unknown: Truth[] = [];
      if (mode === "include") {
        for (const row of rows) {
          const t = flowIsCoveredTruth(row, entries, group);
          if (t === false) definite.push(notCovered(row));
          else unknown.push(t);
        }
      } else {
        for (const u of entries) {
          const matched = or(rows.map((row) => entryIsRowTruth(u, row, group)));
          const bad = mode === "only" ? notTruth(matched) : matched;
          if (bad === true) definite.push(entryFailure(u.entry, group, direction));
          else unknown.push(notTruth(bad));
        }
      }
      return { definite, unknown: and(unknown) };
    };
    const describe = text(MODE[mode], {
      direction: DIRECTION[direction],
      rows: joined(
        rows.map((r) => describeRow(r, direction)),
        "engine.sep.comma",
      ),
    });
    return {
      describe,
      holds: (v, f) => violations(v, f).length === 0,
      truth: (v, f) => {
        const j = judge(v, f);
        return j.definite.length > 0 ? false : j.unknown;
      },
      explain: (v, f) => (f.index.uncertain ? judge(v, f).definite : violations(v, f)),
    };
  },
};

const DIRECTION: Record<Direction, Text> = { ingress: text("sg.ingress"), egress: text("sg.egress") };
const MODE = { only: "sg.only", include: "sg.include", none: "sg.none" } as const;

function entryFailure(e: PermissionEntry, group: GroupContext, direction: Direction): Failure {
  const source = describeSource(e.source, group);
  return {
    reason: text("sg.entry", { direction: DIRECTION[direction], flow: flow(e.trafficText, source, direction) }),
    words: { direction: DIRECTION[direction], permission: e.trafficText },
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
