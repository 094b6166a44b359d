import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { describeEventNeeds, parseSegmentRule, type EventNeeds, type SegmentRule } from './rules/index.js';
import { SegmentsRepository } from './segments.repository.js';

export interface ActiveSegment {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly revision: number;
  readonly rule: SegmentRule;
}

export interface ActiveSegments {
  readonly segments: readonly ActiveSegment[];
  /** What all of them together read of a profile's history. */
  readonly needs: EventNeeds;
}

// Every event evaluates every segment: definitions come from memory, re-read at
// most this often, so a change made on another instance applies within it.
const REFRESH_MS = 2000;

/** The live segments, compiled once per change rather than once per event. */
@Injectable()
export class SegmentCatalog {
  private cached: { readAt: number; active: ActiveSegments } | null = null;

  constructor(private readonly segments: SegmentsRepository) {}

  async active(manager: EntityManager): Promise<ActiveSegments> {
    if (this.cached && Date.now() - this.cached.readAt < REFRESH_MS) return this.cached.active;
    const compiled: ActiveSegment[] = [];
    for (const row of await this.segments.listLive(manager)) {
      const parsed = parseSegmentRule(row.rule);
      // Stored rules were validated on the way in; one that no longer parses (a language change) is skipped, not fatal.
      if (parsed.ok) compiled.push({ id: row.id, key: row.key, name: row.name, revision: row.revision, rule: parsed.rule });
    }
    const active = { segments: compiled, needs: combinedNeeds(compiled) };
    this.cached = { readAt: Date.now(), active };
    return active;
  }

  /** After a change on this instance: the next evaluation reads the definitions again. */
  invalidate(): void {
    this.cached = null;
  }
}

export function combinedNeeds(segments: readonly { rule: SegmentRule }[]): EventNeeds {
  const names = new Set<string>();
  let lookbackMs: number | null = 0;
  for (const segment of segments) {
    const needs = describeEventNeeds(segment.rule);
    for (const name of needs.eventNames) names.add(name);
    if (needs.eventNames.length > 0) lookbackMs = lookbackMs === null || needs.lookbackMs === null ? null : Math.max(lookbackMs, needs.lookbackMs);
  }
  return { eventNames: [...names].sort(), lookbackMs };
}
