// Small value predicates used by rules: calendar dates and container image references.

/** True when `text` is a real calendar date in the given format (only YYYYMMDD and YYYY-MM-DD). */
export function isCalendarDate(text: string, format: "YYYYMMDD" | "YYYY-MM-DD"): boolean {
  const m = format === "YYYYMMDD" ? /^(\d{4})(\d{2})(\d{2})$/.exec(text) : /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export interface ImageReference {
  registry?: string;
  repository: string;
  /** The tag; "latest" when the reference has neither tag nor digest, as Docker reads it. */
  tag?: string;
  digest?: string;
  /** True when the tag was not written but implied. */
  impliedTag: boolean;
}

/** Splits "registry/repo:tag@sha256:…" the way Docker does. */
export function parseImageReference(reference: string): ImageReference {
  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  // A colon before the last slash belongs to the registry host ("host:5000/repo").
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | undefined;
  const firstSlash = rest.indexOf("/");
  if (firstSlash >= 0) {
    const first = rest.slice(0, firstSlash);
    if (first.includes(".") || first.includes(":") || first === "localhost") {
      registry = first;
      rest = rest.slice(firstSlash + 1);
    }
  }
  const impliedTag = tag === undefined && digest === undefined;
  const ref: ImageReference = { repository: rest, impliedTag };
  if (registry !== undefined) ref.registry = registry;
  if (digest !== undefined) ref.digest = digest;
  if (tag !== undefined || impliedTag) ref.tag = tag ?? "latest";
  return ref;
}
