// referencedBy: some string at `values` appears in a field named in `fields`, at any depth, of
// resources of `types` (a KMS key used by SageMaker). Not found is a finding only when those
// types were read completely.
import { text } from "../../../i18n/index.js";
import { shortType } from "../messages.js";
import { REF, type ConditionOperator } from "../operator.js";
import { mergeUnknown, Unknown, unknownOf } from "../truth.js";
import { IncompleteData, type Frame, type ReferenceSpec } from "../types.js";

interface ReferencedByArg {
  types: string[];
  fields: string[];
  values: string | string[];
}

export const referencedBy: ConditionOperator<ReferencedByArg> = {
  key: "referencedBy",
  subject: false,
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["types", "fields", "values"],
    properties: {
      types: { type: "array", items: REF.resourceType, minItems: 1 },
      fields: { type: "array", items: { type: "string" }, minItems: 1 },
      values: REF.paths,
    },
  },
  doc: {
    signature: "referencedBy: {types, fields, values}",
    meaning: "some string at `values` appears in a field named in `fields`, at any depth, of resources of `types` (a KMS key used by SageMaker)",
    example: "{ referencedBy: { types: [AWS::SageMaker::TrainingJob, AWS::SageMaker::Endpoint], fields: [KmsKeyId, VolumeKmsKeyId], values: [$arn, KeyId] } }",
  },
  evidence: () => [],
  compile(arg, ctx) {
    const { types, fields } = arg;
    const values = ctx.paths(arg.values, ["values"]);
    const spec: ReferenceSpec = { key: `${types.join(",")}\u0000${fields.join(",")}`, types, fields };
    ctx.addReferenceSet(spec);
    const find = (v: unknown, f: Frame): boolean => {
      const set = f.index.referenceSet(spec);
      if (values.getAll(v, f).some((x) => typeof x === "string" && set.has(x))) return true;
      // Not found: only a finding if those resources were all read.
      for (const t of types) {
        const failed = f.index.firstError(t);
        if (failed) throw new IncompleteData(text("engine.referencedBy.unknown", { type: t }), failed);
      }
      return false;
    };
    return {
      describe: text("engine.referencedBy", { types: types.map(shortType).join("/"), fields: fields.join(", ") }),
      holds: find,
      truth: (v, f) => {
        const own = values.getAll(v, f);
        const set = f.index.referenceSet(spec);
        if (own.some((x) => typeof x === "string" && set.has(x))) return true;
        // An own value not known, or a referencing field not known, may be the one that matches.
        const unknown = [...own.map(unknownOf), ...f.index.referenceUnknowns(spec).map((c) => new Unknown([c]))].filter((u): u is Unknown => u !== undefined);
        if (unknown.length > 0) return mergeUnknown(unknown);
        return find(v, f);
      },
      explain: () => [{ reason: text("engine.referencedBy.failed", { types: types.map(shortType).join(", ") }), evidence: {} }],
    };
  },
};
