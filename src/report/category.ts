import { UsageError } from "../errors.js";

/** `--category`: a non-empty single line. */
export function checkCategory(category: string): string {
  const trimmed = category.trim();
  if (trimmed === "" || trimmed === "/") throw new UsageError("--category must not be empty");
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw new UsageError("--category must be a single line of text");
  return trimmed;
}
