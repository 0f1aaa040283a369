// Where the snapshot file sits in the repository, as SARIF and GitHub code scanning want it: a
// URI relative to the repository root. GitHub matches it against the files of the checkout, so
// it must never be absolute (machine-specific) or an ARN (an unknown URI scheme makes GitHub
// reject the whole upload). SARIF results link the resource's object in it (a related location).
import { existsSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { UsageError } from "../errors.js";

/**
 * `file` relative to `root`, with forward slashes and each segment percent-encoded (a space
 * would make GitHub reject the upload). Symbolic links are followed only when the plain paths
 * do not already nest, so `/tmp` vs `/private/tmp` style aliases work. Undefined when the file is
 * outside the root (a SARIF log then cannot point into it); a UsageError when the root is not a
 * directory.
 */
export function repoRelativeUri(file: string, root: string): string | undefined {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(root).isDirectory();
  } catch {
    throw new UsageError(`--repo-root ${root}: directory not found`);
  }
  if (!isDirectory) throw new UsageError(`--repo-root ${root}: not a directory`);
  // scan checks this before it writes the snapshot (--snapshot-out), so the file may not exist yet.
  const rel = inside(resolve(file), resolve(root)) ?? (existsSync(file) ? inside(realpathSync(file), realpathSync(root)) : undefined);
  return rel?.split(sep).map(encodeURIComponent).join("/");
}

function inside(file: string, root: string): string | undefined {
  const rel = relative(root, file);
  if (rel === "" || rel === ".." || rel.startsWith(".." + sep) || isAbsolute(rel)) return undefined;
  return rel;
}
