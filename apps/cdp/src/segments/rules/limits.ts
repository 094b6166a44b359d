const DAY_MS = 86_400_000;

/**
 * Bounds on what one rule may ask for. Rules come from API clients and run for every
 * event of every profile, so size and depth are capped to keep evaluation cheap and
 * to make a hostile rule an API error rather than a denial of service.
 */
export const RULE_LIMITS = {
  maxDepth: 8,
  maxConditions: 100,
  maxWherePerEvent: 10,
  maxListValues: 500,
  maxNameLength: 200,
  maxStringValueLength: 1_000,
  maxPathParts: 10,
  maxDurationMs: 730 * DAY_MS,
  maxCount: 1_000_000,
  maxErrors: 50,
} as const;
