// use: a shared condition from rules/definitions.yaml, compiled where it is used.
import type { ConditionOperator } from "../operator.js";

export const use: ConditionOperator<string> = {
  key: "use",
  subject: false,
  schema: { type: "string", description: "Name of a condition in rules/definitions.yaml." },
  doc: {
    signature: "use: name",
    meaning: "a shared condition from `rules/definitions.yaml`; the fields it reads count as the using rule's",
    example: "{ use: workloadVpc }",
  },
  evidence: (arg, nested) => nested.definition(arg),
  compile(arg, ctx) {
    return ctx.compileDefinition(arg);
  },
};
