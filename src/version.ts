import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string; homepage?: string };

/** Who made a report or snapshot. No clock and no host name: reports must be reproducible. */
export const TOOL = {
  name: "sagegate",
  version: pkg.version,
  informationUri: pkg.homepage ?? "https://github.com/sagegate/sagegate",
} as const;
