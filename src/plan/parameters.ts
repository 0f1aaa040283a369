// Parameters files for `sagegate plan --parameters`, in the three forms deploy pipelines use:
//   - the AWS CLI's  [{"ParameterKey": "K", "ParameterValue": "V"}, …]
//   - CodePipeline's template configuration  {"Parameters": {"K": "V"}, "Tags": …}
//   - Key=Value lines (blank lines and # comments ignored)
// A key may also be the name of an export, to give the value of an `Fn::ImportValue`.
import { TemplateError, type Place } from "../errors.js";
import { readBytes, decodeUtf8, MAX_DOCUMENT_BYTES } from "../io/files.js";
import { parseJsonBytes } from "../io/json.js";
import { isRecord } from "./cfn/resolve.js";

const makeError = (message: string, file: string, place?: Place) => new TemplateError(message, file, place);

export function readParametersFile(file: string): Map<string, string> {
  const bytes = readBytes(file, makeError, MAX_DOCUMENT_BYTES);
  const text = decodeUtf8(bytes, file, makeError);
  const first = text.trimStart()[0];
  if (first === "[" || first === "{") return fromJson(parseJsonBytes(Buffer.from(text, "utf8"), file, makeError), file);
  return fromLines(text, file);
}

function scalar(v: unknown, file: string, pointer: string): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  // The AWS CLI takes lists as comma-separated text; accept a JSON list of scalars the same way.
  if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number")) return v.join(",");
  throw new TemplateError("a parameter value must be text, a number or a list of them", file, { pointer });
}

function fromJson(doc: unknown, file: string): Map<string, string> {
  const out = new Map<string, string>();
  if (Array.isArray(doc)) {
    doc.forEach((entry, i) => {
      if (!isRecord(entry) || typeof entry.ParameterKey !== "string")
        throw new TemplateError('each entry needs "ParameterKey" (the AWS CLI format: [{"ParameterKey": …, "ParameterValue": …}])', file, { pointer: `/${i}` });
      if (entry.UsePreviousValue === true && entry.ParameterValue === undefined)
        throw new TemplateError(`parameter ${entry.ParameterKey}: UsePreviousValue cannot be known before deploy; give ParameterValue`, file, {
          pointer: `/${i}`,
        });
      out.set(entry.ParameterKey, scalar(entry.ParameterValue, file, `/${i}/ParameterValue`));
    });
    return out;
  }
  if (isRecord(doc) && isRecord(doc.Parameters)) {
    for (const [k, v] of Object.entries(doc.Parameters)) out.set(k, scalar(v, file, `/Parameters/${k}`));
    return out;
  }
  throw new TemplateError('not a parameters file: expected [{"ParameterKey", "ParameterValue"}], {"Parameters": {…}} or Key=Value lines', file, { line: 1 });
}

function fromLines(text: string, file: string): Map<string, string> {
  const out = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    if (eq <= 0) throw new TemplateError(`expected Key=Value, not "${line.length > 60 ? line.slice(0, 57) + "…" : line}"`, file, { line: i + 1 });
    out.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  });
  return out;
}
