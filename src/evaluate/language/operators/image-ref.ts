// imageRef: the value parsed as a container image reference {registry, repository, tag, digest}.
import { parseImageReference } from "../../domain/values.js";
import { REF, type ValueOperator } from "../operator.js";
import { transform, transformEvidence } from "../transform.js";

export const imageRef: ValueOperator = {
  key: "imageRef",
  subject: true,
  schema: REF.condition,
  doc: {
    signature: "path + imageRef: c",
    meaning: "parse a container image reference into `{registry, repository, tag, digest}`; no tag and no digest means tag `latest`",
    example: "{ path: PrimaryContainer.Image, imageRef: { path: tag, notEquals: latest } }",
  },
  evidence: transformEvidence,
  compile(arg, s, ctx) {
    return transform(arg, s, ctx, "an image reference", (text) =>
      typeof text === "string" && text.length > 0 ? { value: parseImageReference(text) } : { error: "not an image reference" },
    );
  },
};
