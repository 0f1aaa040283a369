// Nesting limits. Parsers here (V8's JSON.parse, the snapshot scanner's skip) take any depth, but
// recursive consumers do not: ajv, the rule compiler and JSON.stringify overflow the stack on a
// value nested 10,000 levels deep. Documents are checked right after parsing instead.

/** True when `value` nests deeper than `max` objects/arrays. Recursion is bounded by `max`. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (max === 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (nestsDeeperThan(value[i], max - 1)) return true;
    return false;
  }
  for (const k in value) {
    if (Object.prototype.hasOwnProperty.call(value, k) && nestsDeeperThan((value as Record<string, unknown>)[k], max - 1)) return true;
  }
  return false;
}

/** The path of the first value nested deeper than `max`, or undefined. For messages: slower than nestsDeeperThan. */
export function tooDeep(root: unknown, max: number): Array<string | number> | undefined {
  if (!nestsDeeperThan(root, max)) return undefined;
  const stack: Array<{ value: unknown; depth: number; path: Array<string | number> }> = [{ value: root, depth: 0, path: [] }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (typeof value !== "object" || value === null) continue;
    if (depth >= max) return path;
    if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, depth: depth + 1, path: [...path, i] }));
    else for (const k of Object.keys(value)) stack.push({ value: (value as Record<string, unknown>)[k], depth: depth + 1, path: [...path, k] });
  }
  return undefined;
}
