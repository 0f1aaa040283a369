// ref: the ids at a path name resources of a type (a job's subnets, a model's package by ARN);
// each must exist, and `check` is applied to it. A missing one fails naming the id, or makes the
// result `error` when that type was not collected completely.
import { operationsForField, resourceType, type ResourceObject } from "../../../resources/catalog.js";
import { describeError, nest, shortType } from "../messages.js";
import { REF, type ConditionOperator } from "../operator.js";
import { IncompleteData, type Failure, type Frame, type Needs } from "../types.js";

interface RefArg {
  path: string | string[];
  type: string;
  check?: unknown;
}

export const ref: ConditionOperator<RefArg> = {
  key: "ref",
  subject: false,
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["path", "type"],
    properties: { path: REF.paths, type: REF.lookupType, check: REF.condition },
  },
  doc: {
    signature: "ref: {path, type, check?}",
    meaning:
      "the ids at `path` name resources of `type` (e.g. a job's subnets, a model's package by ARN); each must exist, and `check` is applied to it. A missing one fails naming the id, or is `error` when that type was not collected completely",
    example: '{ ref: { path: "VpcConfig.SecurityGroupIds[]", type: AWS::EC2::SecurityGroup, check: { use: workloadSecurityGroup } } }',
  },
  // A missing target, or the check's failures on a target under its id (`refs` when refs nest).
  evidence: (arg, nested) => ["missing", "type", "ref", "refs", ...nested.of(arg.check)],
  compile(arg, ctx) {
    const type = arg.type;
    const ids = ctx.paths(arg.path, ["path"]);
    const refNeeds: Needs = new Map();
    const check = arg.check === undefined ? undefined : ctx.onResource(["check"], type, refNeeds).compile(arg.check);
    ctx.addNeeds(refNeeds);
    ctx.addLookup(type, refNeeds.get(type) ?? []);
    // Calls whose data the check reads on the referenced resource: a failure recorded against it makes the answer unknown.
    const refDef = resourceType(type);
    const refOps = new Set([...(refNeeds.get(type) ?? [])].flatMap((field) => (refDef ? operationsForField(refDef, field) : [])));
    const resolve = (v: unknown, f: Frame) =>
      ids.getAll(v, f).map((id) => {
        const key = String(id);
        const target = f.index.lookup(type, key);
        if (target === undefined) {
          const because = f.index.missingBecause(type, key);
          if (because) throw new IncompleteData(`${shortType(type)} ${key} could not be read: ${describeError(because)}`, because);
        } else if (check && refDef) {
          const failed = f.index.errorsFor(type, key).find((e) => refOps.has(e.operation));
          if (failed) throw new IncompleteData(`${shortType(type)} ${key} could not be read completely: ${describeError(failed)}`, failed);
        }
        return { id: key, target };
      });
    const frameFor = (f: Frame, id: string, target: ResourceObject): Frame => ({ resource: target, type, id, index: f.index });
    return {
      describe: `${ids.text} refers to existing ${type}${check ? ` where ${check.describe}` : ""}`,
      holds: (v, f) => resolve(v, f).every((r) => r.target !== undefined && (!check || check.holds(r.target, frameFor(f, r.id, r.target)))),
      explain: (v, f) =>
        resolve(v, f).flatMap((r): Failure[] => {
          if (r.target === undefined) {
            return [{ reason: `${ids.text} names ${shortType(type)} ${r.id}, which is not in the snapshot`, evidence: { missing: r.id, type } }];
          }
          const fr = frameFor(f, r.id, r.target);
          if (!check || check.holds(r.target, fr)) return [];
          return check.explain(r.target, fr).map((fl) => ({ reason: `${shortType(type)} ${r.id}: ${fl.reason}`, evidence: nest(fl.evidence, "ref", r.id) }));
        }),
    };
  },
};
