// Where the snapshot file sits in the repository, as SARIF and GitHub code scanning want it: a
// URI relative to the repository root. GitHub matches it against the files of the checkout, and
// the path is part of an alert's identity, so it must never be absolute (machine-specific) or
// an ARN (an unknown URI scheme makes GitHub reject the whole upload).
import { existsSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { UsageError } from "../errors.js";

/**
 * `file` relative to `root`, with forward slashes and each segment percent-encoded (a space
 * would make GitHub reject the upload). Symbolic links are followed only when the plain paths
 * do not already nest, so `/tmp` vs `/private/tmp` style aliases work. Throws a UsageError when
 * the file is outside the root.
 */
export function repoRelativeUri(file: string, root: string): string {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(root).isDirectory();
  } catch {
    throw new UsageError(`--repo-root ${root}: directory not found`);
  }
  if (!isDirectory) throw new UsageError(`--repo-root ${root}: not a directory`);
  // scan checks this before it writes the snapshot (--snapshot-out), so the file may not exist yet.
  const rel = inside(resolve(file), resolve(root)) ?? (existsSync(file) ? inside(realpathSync(file), realpathSync(root)) : undefined);
  if (rel === undefined) {
    throw new UsageError(
      `${file} is outside the repository root ${resolve(root)}: SARIF points at the snapshot as a file of the repository; write the snapshot inside it or set --repo-root`,
    );
  }
  return rel.split(sep).map(encodeURIComponent).join("/");
}

function inside(file: string, root: string): string | undefined {
  const rel = relative(root, file);
  if (rel === "" || rel === ".." || rel.startsWith(".." + sep) || isAbsolute(rel)) return undefined;
  return rel;
}
