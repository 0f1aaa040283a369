import { UsageError } from "../errors.js";

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * The start of the `--since` window: a duration back from `now` (`90m`, `48h`, `7d`, `2w`) or
 * an ISO 8601 date or date-time (`2026-11-01`, `2026-11-01T00:00:00Z`).
 */
export function parseSince(text: string, now: Date = new Date()): Date {
  const m = /^(\d+)([mhdw])$/.exec(text.trim());
  if (m) return new Date(now.getTime() - Number(m[1]) * UNITS[m[2]!]!);
  if (/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())) {
    const date = new Date(text.trim());
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new UsageError(`--since ${JSON.stringify(text)}: use a duration such as 7d, 48h, 90m, 2w, or an ISO date such as 2026-11-01`);
}
