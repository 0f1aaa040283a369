// The one place rule patterns become matchers, so the engine behind them can be changed
// (or guarded) without touching operators.

export interface CompiledRegex {
  test(text: string): boolean;
}

export function compileRegex(pattern: string, flags: string): CompiledRegex {
  return new RegExp(pattern, flags);
}
