import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { profileInsightsV1, segmentMembershipChangedV1, type ProfileInsightsV1, type SegmentMembershipChangedV1 } from '@cds/contracts';
import { OutboxWriter } from '@cds/service-kit';
import { CDP_SETTINGS, type CdpSettings } from '../config/cdp-settings.js';
import { IdentityGraphRepository } from '../identity/identity-graph.repository.js';
import { profileIdentifiers } from '../profiles/profile-identifiers.js';
import { traitValues, type TraitState } from '../profiles/trait-merge.js';
import type { HeldMembership } from '../segments/merge-carry-over.js';
import { SegmentMembershipService, type MembershipOutcome } from '../segments/segment-membership.service.js';
import { grantedConsent } from '../segments/segment-subjects.repository.js';
import { behaviouralInsights, EMPTY_INSIGHT_STATE, foldEvents, type InsightEvent, type InsightState } from './insight-accumulator.js';
import { InsightModelsService } from './insight-models.service.js';
import { scoreInsights } from './insight-scores.js';
import { buildSnapshot, ruleInsightValues, sameSnapshot, type PublishedInsights } from './insight-snapshot.js';
import { InsightsRepository, type InsightsWrite, type StoredInsights } from './insights.repository.js';

/** What changed a profile's insights. */
export type InsightTrigger =
  /** New events of the profile, oldest first. */
  | { readonly kind: 'events'; readonly events: readonly InsightEvent[]; readonly identifiersChanged: boolean }
  /**
   * A merge: the survivor's history is folded again, its snapshot published under a fresh version, and
   * the segments it is still in keep the earliest entry among it and the stays the merged-away profiles held.
   */
  | { readonly kind: 'recompute'; readonly heldByMerged: readonly HeldMembership[] }
  /** Time passed or the models changed: re-scored and re-evaluated, no new data. */
  | { readonly kind: 'reevaluate'; readonly onlySegments?: ReadonlySet<string> };

export interface PersonState {
  readonly traits: TraitState;
  readonly consent: TraitState;
}

export interface InsightUpdate {
  readonly profileId: string;
  readonly person: PersonState;
  readonly trigger: InsightTrigger;
}

export type InsightOutcome = 'published' | 'stored' | 'unchanged';

export interface InsightResult {
  readonly outcome: InsightOutcome;
  /** The version of the profile's latest snapshot (0: none yet). */
  readonly version: number;
}

/**
 * Keeps profiles' insights, scores and segment memberships current, inside
 * the transaction that changed the profiles, and writes what changed to the
 * outbox in that same transaction: the full snapshot (with a version from one
 * sequence shared by all profiles) when anything a consumer sees changed, and
 * each segment entry or exit. Every step runs once for all the profiles given.
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

  async update(manager: EntityManager, profileId: string, person: PersonState, trigger: InsightTrigger, now: Date): Promise<InsightResult> {
    return (await this.updateMany(manager, [{ profileId, person, trigger }], now))[0] as InsightResult;
  }

  /** One update per profile (a profile at most once). Results are in the order of the updates. */
  async updateMany(manager: EntityManager, updates: readonly InsightUpdate[], now: Date): Promise<InsightResult[]> {
    if (updates.length === 0) return [];
    const storedById = await this.insights.lockMany(manager, updates.map((update) => update.profileId));
    const settings = { defaultCurrency: this.settings.currency.reportingCurrency };
    const models = await this.models.current(manager);
    const computed = [];
    for (const update of updates) {
      const stored = storedById.get(update.profileId) ?? null;
      const before = stored?.state ?? EMPTY_INSIGHT_STATE;
      const state = await this.nextState(manager, update, before, settings);
      const behaviour = behaviouralInsights(state, now, this.settings.currency);
      const scores = scoreInsights(behaviour, models, now);
      computed.push({ update, stored, before, state, behaviour, scores });
    }
    const memberships = await this.memberships.evaluateMany(
      manager,
      computed.map(({ update, stored, behaviour, scores }) => ({
        profileId: update.profileId,
        subject: { traits: traitValues(update.person.traits), insights: ruleInsightValues({ ...behaviour, ...scores }), consent: grantedConsent(update.person.consent) },
        current: stored?.snapshot?.segments ?? [],
        ...(update.trigger.kind === 'reevaluate' && update.trigger.onlySegments ? { only: update.trigger.onlySegments } : {}),
        ...(update.trigger.kind === 'recompute' ? { heldByMerged: update.trigger.heldByMerged } : {}),
      })),
      now,
    );
    const identifiers = await this.identifiersOf(manager, computed);

    const snapshots = computed.map((item) => {
      const profileId = item.update.profileId;
      const membership = memberships.get(profileId) as MembershipOutcome;
      const snapshot = buildSnapshot({
        profileId,
        identifiers: identifiers.get(profileId) as PublishedInsights['identifiers'],
        behaviour: item.behaviour,
        scores: item.scores,
        segments: membership.segments,
        consent: item.update.person.consent,
        traits: item.update.person.traits,
      });
      // A merge always publishes: consumers then hold a version of the survivor above any of the profiles merged into it.
      const changed = item.update.trigger.kind === 'recompute' || !sameSnapshot(item.stored?.snapshot ?? null, snapshot);
      return { ...item, membership, snapshot, changed };
    });
    const writes: InsightsWrite[] = snapshots
      .filter((item) => item.changed || !item.stored || item.state !== item.before)
      .map((item) => ({ profileId: item.update.profileId, state: item.state, lifetimeValue: item.behaviour.lifetimeValue, snapshot: item.snapshot, version: item.changed ? null : (item.stored?.version ?? 0) }));
    const versions = await this.insights.saveMany(manager, writes);
    const published: ProfileInsightsV1[] = [];
    const changes: SegmentMembershipChangedV1[] = [];
    const results = snapshots.map((item): InsightResult => {
      const version = versions.get(item.update.profileId);
      if (version === undefined) return { outcome: 'unchanged', version: item.stored?.version ?? 0 };
      if (!item.changed) return { outcome: 'stored', version };
      published.push(insightsMessage(item.snapshot, version, now));
      changes.push(...membershipMessages(item.snapshot, item.membership, version));
      return { outcome: 'published', version };
    });
    await this.outbox.enqueue(manager, profileInsightsV1, published);
    await this.outbox.enqueue(manager, segmentMembershipChangedV1, changes);
    return results;
  }

  /**
   * A merge: the profiles merged away keep no insights and no memberships of their own (the caller
   * publishes their tombstones); the survivor is recomputed, and the customer stays in each segment
   * any of them was in (and still qualifies for) since the first of them entered it.
   */
  async merge(manager: EntityManager, survivorId: string, mergedIds: readonly string[], person: PersonState, now: Date): Promise<InsightResult> {
    const heldByMerged = await this.memberships.retire(manager, mergedIds, now);
    await this.insights.deleteFor(manager, mergedIds);
    return this.update(manager, survivorId, person, { kind: 'recompute', heldByMerged }, now);
  }

  private async nextState(manager: EntityManager, update: InsightUpdate, before: InsightState, settings: { defaultCurrency: string }): Promise<InsightState> {
    switch (update.trigger.kind) {
      case 'events':
        return foldEvents(update.trigger.events, settings, before);
      case 'recompute':
        return foldEvents(await this.insights.historyOf(manager, update.profileId), settings);
      case 'reevaluate':
        return before;
    }
  }

  /**
   * Identities change only with events (in this transaction) or erasure: unless
   * an event added some, the last snapshot's identifiers are still the profile's.
   * The others are read in one query.
   */
  private async identifiersOf(manager: EntityManager, items: readonly { update: InsightUpdate; stored: StoredInsights | null }[]): Promise<Map<string, PublishedInsights['identifiers']>> {
    const known = new Map<string, PublishedInsights['identifiers']>();
    const unknown: string[] = [];
    for (const { update, stored } of items) {
      const identifiersChanged = update.trigger.kind === 'recompute' || (update.trigger.kind === 'events' && update.trigger.identifiersChanged);
      if (stored?.snapshot?.identifiers !== undefined && !identifiersChanged) known.set(update.profileId, stored.snapshot.identifiers);
      else unknown.push(update.profileId);
    }
    if (unknown.length === 0) return known;
    const held = await this.identities.identifiersOfProfiles(manager, unknown);
    for (const profileId of unknown) known.set(profileId, profileIdentifiers(held.get(profileId) ?? []));
    return known;
  }
}

function insightsMessage(snapshot: PublishedInsights, version: number, now: Date): ProfileInsightsV1 {
  return { schemaVersion: 1 as const, version, computedAt: now.toISOString(), ...(structuredClone(snapshot) as unknown as Omit<ProfileInsightsV1, 'schemaVersion' | 'version' | 'computedAt'>) };
}

function membershipMessages(snapshot: PublishedInsights, membership: MembershipOutcome, version: number): SegmentMembershipChangedV1[] {
  // Plain values: the contract's own transformation builds its nested classes.
  return membership.changes.map((change) => ({
    schemaVersion: 1 as const,
    profileId: snapshot.profileId,
    identifiers: { userIds: [...snapshot.identifiers.userIds], emails: [...snapshot.identifiers.emails], crmContactIds: [...snapshot.identifiers.crmContactIds] },
    segmentId: change.segment.id,
    segmentKey: change.segment.key,
    segmentName: change.segment.name,
    change: change.change,
    occurredAt: change.at.toISOString(),
    profileVersion: version,
  }));
}
