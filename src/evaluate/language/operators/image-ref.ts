// imageRef: the value parsed as a container image reference {registry, repository, tag, digest}.
import { text } from "../../../i18n/index.js";
import { parseImageReference } from "../../domain/values.js";
import { REF, type ValueOperator } from "../operator.js";
import { parseError, transform, transformEvidence } from "../transform.js";

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
    return transform(arg, s, ctx, text("engine.transform.imageRef"), (value) =>
      typeof value === "string" && value.length > 0 ? { value: parseImageReference(value) } : parseError("engine.parse.notImageRef"),
    );
  },
};
