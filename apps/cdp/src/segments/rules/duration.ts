import { RULE_LIMITS } from './limits.js';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION = /^([1-9][0-9]{0,6})([mhdw])$/;

export const DURATION_HINT = 'must be a duration such as 30m, 72h, 7d or 2w (a whole number of minutes, hours, days or weeks, at most 730d)';

/** `72h` → 259200000; null for anything else, including zero and spans above 730 days. */
export function parseDuration(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const match = DURATION.exec(text);
  if (!match) return null;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms <= RULE_LIMITS.maxDurationMs ? ms : null;
}
