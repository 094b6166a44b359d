import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { CountryCode } from 'libphonenumber-js';
import type { RawEventV1 } from '@cds/contracts';
import type { Clock } from '../clock/clock.js';
import { eventKey, type EventsRepository } from '../events/events.repository.js';
import { consentOf, identifiersOf, traitsOf } from '../identity/event-identifiers.js';
import { identifierKey, type Identifier } from '../identity/identifier.js';
import type { IdentityGraphRepository } from '../identity/identity-graph.repository.js';
import { planResolution } from '../identity/identity-resolution.js';
import type { InsightEvent } from '../insights/insight-accumulator.js';
import type { ProfileInsightsService } from '../insights/profile-insights.service.js';
import type { ProfilesRepository } from '../profiles/profiles.repository.js';
import { applyTraits, type JsonValue } from '../profiles/trait-merge.js';
import type { AuthenticatedSource } from '../sources/sources.service.js';
import { BatchIdentityGraph, type BatchProfile } from './batch-identity-graph.js';
import { DuplicateEventError, insightEventOf, type EventIngestionService, type IngestionOutcome } from './event-ingestion.service.js';

export interface SourcedEvent {
  readonly event: RawEventV1;
  readonly source: AuthenticatedSource;
}

export interface EventBatchDependencies {
  readonly identities: IdentityGraphRepository;
  readonly profiles: ProfilesRepository;
  readonly events: EventsRepository;
  readonly insights: ProfileInsightsService;
  readonly single: EventIngestionService;
  readonly clock: Clock;
  readonly defaultPhoneRegion: CountryCode | undefined;
}

/** What a batch has to write for one profile its ordinary events touched. */
interface TouchedProfile {
  /** Events that changed the profile (traits, consent, identifiers): each bumps its version. */
  changes: number;
  identifiersChanged: boolean;
  readonly insightEvents: InsightEvent[];
}

/**
 * One partition's batch of raw events, processed inside one transaction with a
 * few statements for the whole batch: duplicates, erased identifiers, locks and
 * owners are looked up at once; ordinary events (joining one profile, or creating
 * one) are folded in memory in order; then events, profiles, identities, insights
 * and outbox rows are written with multi-row statements. An event that merges
 * profiles, records a conflict or is an alias goes through the one-event path
 * inside the same transaction, after what came before it was written, so every
 * profile sees its events in order.
 */
export class EventBatch {
  private graph = new BatchIdentityGraph([]);
  private created: string[] = [];
  private attached: { profileId: string; identifier: Identifier }[] = [];
  private stored: { event: RawEventV1; profileId: string }[] = [];
  private touched = new Map<string, TouchedProfile>();

  constructor(
    private readonly dependencies: EventBatchDependencies,
    private readonly manager: EntityManager,
    private readonly batch: readonly SourcedEvent[],
  ) {}

  /** Outcomes in the order of the batch. */
  async run(): Promise<IngestionOutcome[]> {
    const { identities, single } = this.dependencies;
    const outcomes: IngestionOutcome[] = this.batch.map(() => 'duplicate');
    const fresh = await this.freshIndexes();
    const candidates = new Map(fresh.map((index) => [index, this.candidateIdentifiers(this.at(index).event)]));
    const suppressed = await identities.suppressedAmong(this.manager, [...candidates.values()].flat());
    const remaining: number[] = [];
    for (const index of fresh) {
      // An alias checks its own identifiers (which depend on what the batch wrote before it).
      const erased = !isAlias(this.at(index).event) && (candidates.get(index) ?? []).some((identifier) => suppressed.has(identifierKey(identifier)));
      if (erased) outcomes[index] = 'suppressed';
      else remaining.push(index);
    }
    const identifiersFrom = (indexes: readonly number[]): Identifier[] => indexes.flatMap((index) => candidates.get(index) ?? []);
    // Every identifier of the batch, locked in one sorted statement: the rare paths below lock a subset again.
    await identities.lockIdentifiers(this.manager, identifiersFrom(remaining));
    await this.load(identifiersFrom(remaining));

    for (const [position, index] of remaining.entries()) {
      const { event, source } = this.at(index);
      if (!isAlias(event) && this.fold(event, source)) {
        outcomes[index] = 'stored';
        continue;
      }
      await this.flush();
      outcomes[index] = await single.ingestWithin(this.manager, event, source);
      await this.load(identifiersFrom(remaining.slice(position + 1)));
    }
    await this.flush();
    return outcomes;
  }

  private at(index: number): SourcedEvent {
    return this.batch[index] as SourcedEvent;
  }

  /** Indexes of the events neither stored before nor repeated earlier in the batch. */
  private async freshIndexes(): Promise<number[]> {
    const keys = this.batch.map(({ event }) => ({ sourceId: event.sourceId, messageId: event.messageId }));
    const stored = await this.dependencies.events.storedAmong(this.manager, keys);
    const seen = new Set<string>();
    return keys.flatMap((key, index) => {
      const id = eventKey(key.sourceId, key.messageId);
      if (stored.has(id) || seen.has(id)) return [];
      seen.add(id);
      return [index];
    });
  }

  /** An alias's previousId is a user id or an anonymous id depending on the graph: both are locked. */
  private candidateIdentifiers(event: RawEventV1): Identifier[] {
    const region = this.dependencies.defaultPhoneRegion;
    return isAlias(event) ? [...identifiersOf(event, region, false), ...identifiersOf(event, region, true)] : identifiersOf(event, region);
  }

  /** The owners of the identifiers, row-locked, with their state: the graph the next events are folded into. */
  private async load(identifiers: readonly Identifier[]): Promise<void> {
    const owners = await this.dependencies.identities.lockOwners(this.manager, identifiers);
    this.graph = new BatchIdentityGraph(owners.map((owner) => ({ id: owner.id, createdAt: owner.createdAt, identifiers: [...owner.identifiers], traits: owner.traits, consent: owner.consent })));
  }

  /** Folds an event that joins one profile or creates one; false (nothing done) for a merge or a conflict. */
  private fold(event: RawEventV1, source: AuthenticatedSource): boolean {
    const incoming = identifiersOf(event, this.dependencies.defaultPhoneRegion);
    const plan = planResolution(incoming, this.graph.matched(incoming));
    if (plan.mergedIds.length > 0 || plan.conflicts.length > 0) return false;
    const isNew = plan.survivorId === null;
    const profile = plan.survivorId === null ? this.createProfile() : this.graph.get(plan.survivorId);
    this.graph.attach(profile.id, plan.newIdentifiers);
    this.attached.push(...plan.newIdentifiers.map((identifier) => ({ profileId: profile.id, identifier })));

    const traits = applyTraits(profile.traits, traitsOf(event) as Record<string, JsonValue>, event.timestamp, source.name).state;
    const consent = applyTraits(profile.consent, consentOf(event), event.timestamp, source.name).state;
    const touched = this.touchedProfile(profile.id);
    // As on the one-event path: an event that changes nothing about the person leaves the profile row alone.
    if (isNew || plan.newIdentifiers.length > 0 || traits !== profile.traits || consent !== profile.consent) touched.changes += 1;
    profile.traits = traits;
    profile.consent = consent;
    touched.identifiersChanged ||= isNew || plan.newIdentifiers.length > 0;
    touched.insightEvents.push(insightEventOf(event, source));
    this.stored.push({ event, profileId: profile.id });
    return true;
  }

  private createProfile(): BatchProfile {
    const profile: BatchProfile = { id: randomUUID(), createdAt: new Date(), identifiers: [], traits: {}, consent: {} };
    this.graph.add(profile);
    this.created.push(profile.id);
    return profile;
  }

  private touchedProfile(profileId: string): TouchedProfile {
    const existing = this.touched.get(profileId);
    if (existing) return existing;
    const touched: TouchedProfile = { changes: 0, identifiersChanged: false, insightEvents: [] };
    this.touched.set(profileId, touched);
    return touched;
  }

  /** Writes what the folded events did, a few multi-row statements in all. */
  private async flush(): Promise<void> {
    if (this.stored.length === 0) return;
    const { profiles, identities, events, insights, clock } = this.dependencies;
    const touched = [...this.touched.entries()];
    await profiles.createMany(this.manager, this.created);
    await identities.attachMany(this.manager, this.attached);
    await profiles.saveStates(
      this.manager,
      touched.filter(([, profile]) => profile.changes > 0).map(([id, profile]) => ({ id, traits: this.graph.get(id).traits, consent: this.graph.get(id).consent, changes: profile.changes })),
    );
    // Another instance stored one of these messageIds meanwhile: undo the batch (it is retried).
    if ((await events.insertMany(this.manager, this.stored)) !== this.stored.length) throw new DuplicateEventError();
    await insights.updateMany(
      this.manager,
      touched.map(([profileId, profile]) => ({
        profileId,
        person: { traits: this.graph.get(profileId).traits, consent: this.graph.get(profileId).consent },
        trigger: { kind: 'events', events: profile.insightEvents, identifiersChanged: profile.identifiersChanged },
      })),
      clock.now(),
    );
    this.created = [];
    this.attached = [];
    this.stored = [];
    this.touched = new Map();
  }
}

function isAlias(event: RawEventV1): boolean {
  return event.type === 'alias';
}
