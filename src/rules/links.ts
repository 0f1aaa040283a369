// Links from reports and help into the documentation: rule pages (docs/rules/<ID>.md) and the
// English summary of the design (docs/design.md, one anchor per section). `base` is where the
// repository's files are found: an absolute URL (docsUrl) when the text leaves the repository,
// a relative path ("../../") inside it.
import { DEFAULT_DOCS_URL } from "../version.js";

/** Rule page path, relative to the repository root. */
export function rulePagePath(id: string): string {
  return `docs/rules/${id}.md`;
}

/** `docsUrl` as a base that paths are appended to (always ending in "/"). */
export function docsBase(docsUrl: string | undefined): string {
  const url = docsUrl ?? DEFAULT_DOCS_URL;
  return url.endsWith("/") ? url : url + "/";
}

export function rulePageUrl(id: string, base: string): string {
  return base + rulePagePath(id);
}

/** The anchor of a design section in docs/design.md: §2.2.1 → s2-2-1. */
export function designAnchor(section: string): string {
  return "s" + section.replace(/\./g, "-");
}

export function designUrl(section: string, base: string): string {
  return `${base}docs/design.md#${designAnchor(section)}`;
}

const SECTION = /§(\d+(?:\.\d+)*)/g;

/** Markdown text with every `§x.y` turned into a link to that section of docs/design.md. */
export function linkSections(markdown: string, base: string): string {
  return markdown.replace(SECTION, (whole, section: string) => `[${whole}](${designUrl(section, base)})`);
}
