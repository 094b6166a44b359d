import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ruleInsightValues, type PublishedInsights } from '../insights/insight-snapshot.js';
import { traitValues, type TraitState } from '../profiles/trait-merge.js';
import type { EventNeeds, SegmentEvent, SegmentSubject } from './rules/index.js';

/**
 * Reads many profiles as segment rules see them (traits, last published
 * insights, consent, the events the rules need) in two queries per chunk: for
 * previews and back-fills, which evaluate rules over the whole base.
 */
@Injectable()
export class SegmentSubjectsRepository {
  async load(manager: EntityManager, profileIds: readonly string[], needs: EventNeeds, now: Date): Promise<Map<string, SegmentSubject>> {
    const people = (await manager.query(
      `SELECT p.id, p.traits, p.consent, i.snapshot FROM profiles p LEFT JOIN profile_insights i ON i.profile_id = p.id
        WHERE p.id = ANY($1::uuid[]) AND p.merged_into IS NULL`,
      [profileIds],
    )) as { id: string; traits: TraitState; consent: TraitState; snapshot: PublishedInsights | null }[];
    const events = await this.eventsOf(manager, profileIds, needs, now);
    return new Map(
      people.map((person) => [
        person.id,
        {
          traits: traitValues(person.traits),
          insights: person.snapshot ? ruleInsightValues(person.snapshot.insights) : {},
          consent: grantedConsent(person.consent),
          events: events.get(person.id) ?? [],
        },
      ]),
    );
  }

  private async eventsOf(manager: EntityManager, profileIds: readonly string[], needs: EventNeeds, now: Date): Promise<Map<string, SegmentEvent[]>> {
    const byProfile = new Map<string, SegmentEvent[]>();
    if (needs.eventNames.length === 0) return byProfile;
    const rows = (await manager.query(
      `SELECT profile_id, event, timestamp, properties FROM events
        WHERE profile_id = ANY($1::uuid[]) AND type = 'track' AND event = ANY($2::text[]) AND ($3::timestamptz IS NULL OR timestamp > $3)`,
      [profileIds, needs.eventNames, needs.lookbackMs === null ? null : new Date(now.getTime() - needs.lookbackMs)],
    )) as { profile_id: string; event: string; timestamp: Date; properties: Record<string, unknown> | null }[];
    for (const row of rows) {
      const event = { event: row.event, timestamp: row.timestamp, properties: row.properties ?? {} };
      const list = byProfile.get(row.profile_id);
      if (list) list.push(event);
      else byProfile.set(row.profile_id, [event]);
    }
    return byProfile;
  }
}

/** Consent as rules read it: purpose → granted, for the purposes with a yes/no answer. */
export function grantedConsent(consent: TraitState): Record<string, boolean> {
  const granted: Record<string, boolean> = {};
  for (const [purpose, entry] of Object.entries(consent)) if (typeof entry.value === 'boolean') granted[purpose] = entry.value;
  return granted;
}
