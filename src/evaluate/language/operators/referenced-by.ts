// referencedBy: some string at `values` appears in a field named in `fields`, at any depth, of
// resources of `types` (a KMS key used by SageMaker). Not found is a finding only when those
// types were read completely.
import { shortType } from "../messages.js";
import { REF, type ConditionOperator } from "../operator.js";
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
        if (failed) throw new IncompleteData(`cannot tell whether any ${t} references it: ${t} was not read completely`, failed);
      }
      return false;
    };
    return {
      describe: `referenced by ${types.map(shortType).join("/")} (${fields.join(", ")})`,
      holds: find,
      explain: () => [{ reason: `not referenced by any ${types.map(shortType).join(", ")}`, evidence: {} }],
    };
  },
};
