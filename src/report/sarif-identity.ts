// Where a SARIF result points and what makes it the same alert from one run to the next.
//
// GitHub code scanning identifies an alert by its rule, the path of its primary location and
// `partialFingerprints.primaryLocationLineHash` (within a tool and category). Cloud resources have
// no file, so a result on one points at a path that is a file path in form only, built from what a
// reviewer filters by:
//
//   aws/<account>/<region>/<service>/<resource-type>/<id>      line 1
//
// e.g. aws/111122223333/eu-west-1/ec2/security-group/sg-0proc000000000001. No such file exists in
// the checkout, so upload-sarif has nothing to hash and keeps sagegate's fingerprint without a
// word, and the path never moves when the snapshot's lines do. A resource declared in code
// (`source`: a template, a `.tf` file) points at its declaration instead, with the resource path
// as a related location; since that file is in the checkout, upload-sarif computes the line hash
// itself, and sagegate's fingerprint goes under `sagegate/v1` (DECLARATION_FINGERPRINT).
import { createHash } from "node:crypto";
import type { ResultResource } from "../evaluate/engine.js";
import type { SourceLocation } from "../resources/source.js";

/** The partial fingerprint of a result whose primary location is a declaration (rule + resource identity, stable when lines move). */
export const DECLARATION_FINGERPRINT = "sagegate/v1";

/** The first segment of every resource path. */
export const RESOURCE_ROOT = "aws";
/** The last segment of the path where a region's blind spots (failed AWS calls) are reported. */
export const NOT_EVALUATED_SEGMENT = "not-evaluated";

/**
 * One path segment from any text, the same text always giving the same segment and different
 * texts different ones: letters, digits, `.`, `_` and `-` stay; every other byte of the UTF-8
 * text becomes `~` and two upper-case hex digits (`/` → `~2F`, `~` → `~7E`, a space → `~20`).
 * The result needs no percent-encoding, so the URI, the path upload-sarif decodes and the path
 * GitHub shows are one string. A segment of dots only is escaped whole (never `.` or `..`), the
 * empty text is `~`, which no other text gives, and a lone surrogate (no UTF-8 form) is `~U` and
 * its four hex digits.
 */
export function pathSegment(text: string): string {
  if (text === "") return "~";
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      // A lone surrogate (JSON can carry one) has no UTF-8 form: `~U` and its four hex digits.
      out += `~U${code.toString(16).toUpperCase()}`;
      continue;
    }
    if (/^[A-Za-z0-9._-]$/.test(char)) out += char;
    else for (const byte of Buffer.from(char, "utf8")) out += `~${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return /^\.+$/.test(out) ? out.replace(/\./g, "~2E") : out;
}

/** `AWS::EC2::SecurityGroup` → `ec2/security-group` (the service, then the type in kebab case, as ARNs spell most of them). */
export function typePath(type: string): string {
  const parts = type.split("::");
  if (parts.length !== 3 || parts[0] !== "AWS") return pathSegment(type);
  const kebab = parts[2]!
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
  return `${pathSegment(parts[1]!.toLowerCase())}/${pathSegment(kebab)}`;
}

/** `aws/<account>/<region>`: the folder of everything an account holds in a region. */
export function regionPath(accountId: string, region: string): string {
  return `${RESOURCE_ROOT}/${pathSegment(accountId)}/${pathSegment(region)}`;
}

/** `aws/<account>/<region>/<service>/<resource-type>/<id>` of a resource. */
export function resourcePath(resource: Pick<ResultResource, "accountId" | "region" | "type" | "id">): string {
  return `${regionPath(resource.accountId, resource.region)}/${typePath(resource.type)}/${pathSegment(resource.id)}`;
}

/** `aws/<account>/<region>/not-evaluated`: where the failed calls of a region are reported. */
export function notEvaluatedPath(accountId: string, region: string): string {
  return `${regionPath(accountId, region)}/${NOT_EVALUATED_SEGMENT}`;
}

/**
 * A declaration's file as a repository-relative URI (forward slashes, each segment
 * percent-encoded), or undefined when it is not one: absolute, with a scheme, or leaving the root.
 */
export function sourceUri(source: Pick<SourceLocation, "file">): string | undefined {
  const file = source.file.replace(/\\/g, "/");
  if (file === "" || file.startsWith("/") || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(file)) return undefined;
  const segments = file.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.length === 0 || segments.includes("..")) return undefined;
  return segments.map(encodeURIComponent).join("/");
}

/** A resource's declaration, when it has one that SARIF can point at. */
export function declaration(resource: Pick<ResultResource, "source">): { uri: string; source: SourceLocation } | undefined {
  const source = resource.source;
  if (!source || !(Number.isInteger(source.line) && source.line >= 1)) return undefined;
  const uri = sourceUri(source);
  return uri === undefined ? undefined : { uri, source };
}

/**
 * The fingerprint of a result on a resource, decided here for every kind of resource (written as
 * `primaryLocationLineHash` on a resource path, as `sagegate/v1` on a declaration):
 *
 * - a resource read from AWS: rule + ARN, so its alert survives the snapshot's lines moving, is
 *   the same alert in every snapshot, and stays the same when its declaration becomes known;
 * - a planned resource (declared in a template, not yet deployed) with a logical id or a
 *   Terraform address: rule + file + that id, so its alert survives lines moving in the file.
 *
 * The first 16 hex digits of SHA-256 of the parts joined by NUL, then `:1`.
 */
export function fingerprint(ruleId: string, resource: Pick<ResultResource, "arn" | "source" | "planned">): string {
  const source = resource.planned ? resource.source : undefined;
  const name = source?.logicalId ?? source?.address;
  return source && name !== undefined ? digest([ruleId, source.file, name]) : digest([ruleId, resource.arn]);
}

/** The fingerprint of a blind spot: one failed call, named by what was called on what. */
export function blindSpotFingerprint(
  ruleId: string,
  call: { accountId: string; region: string; resourceType: string; operation: string; resourceId?: string | undefined },
): string {
  return digest([ruleId, call.accountId, call.region, call.resourceType, call.operation, call.resourceId ?? ""]);
}

function digest(parts: readonly string[]): string {
  return createHash("sha256").update(parts.join("\u0000"), "utf8").digest("hex").slice(0, 16) + ":1";
}
