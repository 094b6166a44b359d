import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { profileInsightsV1, segmentMembershipChangedV1, type ProfileInsightsV1, type SegmentMembershipChangedV1 } from '@cds/contracts';
import { OutboxWriter } from '@cds/service-kit';
import { CDP_SETTINGS, type CdpSettings } from '../config/cdp-settings.js';
import { IdentityGraphRepository } from '../identity/identity-graph.repository.js';
import { profileIdentifiers } from '../profiles/profile-identifiers.js';
import { traitValues, type TraitState } from '../profiles/trait-merge.js';
import { SegmentMembershipService } from '../segments/segment-membership.service.js';
import { grantedConsent } from '../segments/segment-subjects.repository.js';
import { applyInsightEvent, behaviouralInsights, EMPTY_INSIGHT_STATE, foldEvents, type InsightEvent } from './insight-accumulator.js';
import { InsightModelsService } from './insight-models.service.js';
import { scoreInsights } from './insight-scores.js';
import { buildSnapshot, ruleInsightValues, sameSnapshot, type PublishedInsights } from './insight-snapshot.js';
import { InsightsRepository } from './insights.repository.js';

/** What changed a profile's insights. */
export type InsightTrigger =
  | { readonly kind: 'event'; readonly event: InsightEvent; readonly identifiersChanged: boolean }
  /** A merge: the survivor's history is folded again. */
  | { readonly kind: 'recompute' }
  /** Time passed or the models changed: re-scored and re-evaluated, no new data. */
  | { readonly kind: 'reevaluate'; readonly onlySegments?: ReadonlySet<string> };

export interface PersonState {
  readonly traits: TraitState;
  readonly consent: TraitState;
}

export type InsightOutcome = 'published' | 'stored' | 'unchanged';

/**
 * Keeps a profile's insights, scores and segment memberships current, inside
 * the transaction that changed the profile, and writes what changed to the
 * outbox in that same transaction: the full snapshot (with a per-profile
 * version) when anything a consumer sees changed, and each segment entry or exit.
 */
@Injectable()
export class ProfileInsightsService {
  constructor(
    private readonly insights: InsightsRepository,
    private readonly identities: IdentityGraphRepository,
    private readonly memberships: SegmentMembershipService,
    private readonly models: InsightModelsService,
    private readonly outbox: OutboxWriter,
    @Inject(CDP_SETTINGS) private readonly settings: CdpSettings,
  ) {}

  async update(manager: EntityManager, profileId: string, person: PersonState, trigger: InsightTrigger, now: Date): Promise<InsightOutcome> {
    const stored = await this.insights.lock(manager, profileId);
    const before = stored?.state ?? EMPTY_INSIGHT_STATE;
    const settings = { defaultCurrency: this.settings.currency.reportingCurrency };
    const state =
      trigger.kind === 'event'
        ? applyInsightEvent(before, trigger.event, settings)
        : trigger.kind === 'recompute'
          ? foldEvents(await this.insights.historyOf(manager, profileId), settings)
          : before;

    const behaviour = behaviouralInsights(state, now, this.settings.currency);
    const scores = scoreInsights(behaviour, await this.models.current(manager), now);
    const membership = await this.memberships.evaluate(
      manager,
      profileId,
      {
        traits: traitValues(person.traits),
        insights: ruleInsightValues({ ...behaviour, ...scores }),
        consent: grantedConsent(person.consent),
      },
      now,
      trigger.kind === 'reevaluate' ? trigger.onlySegments : undefined,
    );

    // Identities change only with events (in this transaction) or erasure: unless this event added
    // some, the last snapshot's identifiers are still the profile's.
    const identifiersKnown = stored?.snapshot?.identifiers !== undefined && trigger.kind !== 'recompute' && !(trigger.kind === 'event' && trigger.identifiersChanged);
    const identifiers = identifiersKnown && stored?.snapshot ? stored.snapshot.identifiers : profileIdentifiers((await this.identities.identifiersOfProfiles(manager, [profileId])).get(profileId) ?? []);
    const snapshot = buildSnapshot({ profileId, identifiers, behaviour, scores, segments: membership.segments, consent: person.consent });
    const changed = !sameSnapshot(stored?.snapshot ?? null, snapshot);
    if (!changed && stored && state === before) return 'unchanged';

    const version = changed ? (stored?.version ?? 0) + 1 : (stored?.version ?? 0);
    await this.insights.save(manager, profileId, state, behaviour.lifetimeValue, snapshot, version);
    if (!changed) return 'stored';
    await this.outbox.enqueue(manager, profileInsightsV1, [insightsMessage(snapshot, version, now)]);
    await this.outbox.enqueue(
      manager,
      segmentMembershipChangedV1,
      // Plain values: the contract's own transformation builds its nested classes.
      membership.changes.map(
        (change): SegmentMembershipChangedV1 => ({
          schemaVersion: 1 as const,
          profileId,
          identifiers: { userIds: [...snapshot.identifiers.userIds], emails: [...snapshot.identifiers.emails], crmContactIds: [...snapshot.identifiers.crmContactIds] },
          segmentId: change.segment.id,
          segmentKey: change.segment.key,
          segmentName: change.segment.name,
          change: change.change,
          occurredAt: change.at.toISOString(),
          profileVersion: version,
        }),
      ),
    );
    return 'published';
  }

  /** Profiles merged away: no insights, no memberships of their own, a tombstone for consumers. */
  async retire(manager: EntityManager, profileIds: readonly string[], now: Date): Promise<void> {
    if (profileIds.length === 0) return;
    await this.memberships.retire(manager, profileIds, now);
    await this.insights.deleteFor(manager, profileIds);
  }
}

function insightsMessage(snapshot: PublishedInsights, version: number, now: Date): ProfileInsightsV1 {
  return { schemaVersion: 1 as const, version, computedAt: now.toISOString(), ...(structuredClone(snapshot) as unknown as Omit<ProfileInsightsV1, 'schemaVersion' | 'version' | 'computedAt'>) };
}
