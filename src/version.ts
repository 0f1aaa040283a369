import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
  homepage?: string;
  repository?: { url?: string } | string;
};

/** https://github.com/owner/name from package.json's repository (git+https://…/name.git, or a string). */
function repositoryUrl(): string {
  const raw = typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url;
  const url = (raw ?? pkg.homepage ?? "https://github.com/sagegate/sagegate").replace(/^git\+/, "").replace(/\.git$/, "");
  return url.replace(/\/+$/, "");
}

/** Who made a report or snapshot. No clock and no host name: reports must be reproducible. */
export const TOOL = {
  name: "sagegate",
  version: pkg.version,
  informationUri: pkg.homepage ?? "https://github.com/sagegate/sagegate",
} as const;

export const REPOSITORY_URL = repositoryUrl();

/**
 * Where `docs/…` paths are found when a report leaves the repository (Markdown report, step
 * summary, SARIF, JSON helpUri): the repository at this version's tag, so a link always shows
 * the rule as this version checks it. `docsUrl` in the configuration overrides it (a fork, a mirror).
 */
export const DEFAULT_DOCS_URL = `${REPOSITORY_URL}/blob/v${TOOL.version}/`;
