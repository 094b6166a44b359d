import type { CompiledCondition, SegmentRule } from './compiled-rule.js';

export interface EventNeeds {
  /** Sorted, without repeats; empty when the rule has no event conditions. */
  eventNames: string[];
  /**
   * How far back before `now` events must be loaded (timestamp > now - lookbackMs);
   * null: the whole history; 0: none.
   */
  lookbackMs: number | null;
}

/**
 * Which events the evaluator reads, so the service loads only those. A notFollowedBy
 * follow-up matters only at or after its anchor, and anchors lie inside the event's window,
 * so follow-up events never need a longer look back than the window itself (and anchors
 * whose wait is still running sit at the recent end of that window).
 */
export function describeEventNeeds(rule: SegmentRule): EventNeeds {
  const names = new Set<string>();
  const needs = { lookbackMs: 0 as number | null };
  collect(rule.root, names, needs);
  return { eventNames: [...names].sort(), lookbackMs: needs.lookbackMs };
}

function collect(condition: CompiledCondition, names: Set<string>, needs: { lookbackMs: number | null }): void {
  switch (condition.kind) {
    case 'all':
    case 'any':
      for (const child of condition.children) collect(child, names, needs);
      return;
    case 'not':
      collect(condition.child, names, needs);
      return;
    case 'event':
      names.add(condition.event);
      if (condition.followUp) names.add(condition.followUp.event);
      if (condition.windowMs === null) needs.lookbackMs = null;
      else if (needs.lookbackMs !== null) needs.lookbackMs = Math.max(needs.lookbackMs, condition.windowMs);
      return;
    default:
      return;
  }
}
