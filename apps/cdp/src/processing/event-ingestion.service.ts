import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { profileMergedV1, TOPICS, type RawEventV1 } from '@cds/contracts';
import { OutboxWriter, retryingTransaction } from '@cds/service-kit';
import { CLOCK, type Clock } from '../clock/clock.js';
import { CDP_SETTINGS, type CdpSettings } from '../config/cdp-settings.js';
import { EventsRepository } from '../events/events.repository.js';
import { consentOf, identifiersOf, traitsOf } from '../identity/event-identifiers.js';
import { IdentityGraphRepository } from '../identity/identity-graph.repository.js';
import { planResolution } from '../identity/identity-resolution.js';
import type { InsightEvent } from '../insights/insight-accumulator.js';
import { ProfileInsightsService } from '../insights/profile-insights.service.js';
import { profileIdentifiers } from '../profiles/profile-identifiers.js';
import { ProfilesRepository } from '../profiles/profiles.repository.js';
import { applyTraits, mergeTraitStates, type JsonValue, type TraitState } from '../profiles/trait-merge.js';
import type { AuthenticatedSource } from '../sources/sources.service.js';

export type IngestionOutcome = 'stored' | 'duplicate' | 'suppressed';

/**
 * Stores one accepted event and folds it into the identity graph and the
 * person's unified profile, all in one transaction: a crash leaves either all
 * of it or none (and the event is redelivered).
 */
@Injectable()
export class EventIngestionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly identities: IdentityGraphRepository,
    private readonly profiles: ProfilesRepository,
    private readonly events: EventsRepository,
    private readonly outbox: OutboxWriter,
    private readonly insights: ProfileInsightsService,
    @Inject(CDP_SETTINGS) private readonly settings: CdpSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async ingest(event: RawEventV1, source: AuthenticatedSource): Promise<IngestionOutcome> {
    try {
      return await retryingTransaction(this.dataSource, (manager) => this.ingestWithin(manager, event, source));
    } catch (error) {
      if (error instanceof DuplicateEventError) return 'duplicate';
      throw error;
    }
  }

  /** The whole of one event's processing, inside the caller's transaction (a batch's rare paths use it too). */
  async ingestWithin(manager: EntityManager, event: RawEventV1, source: AuthenticatedSource): Promise<IngestionOutcome> {
    if (await this.events.exists(manager, event.sourceId, event.messageId)) return 'duplicate';
    const previousIsUser = event.type === 'alias' && event.previousId !== undefined && (await this.isKnownUserId(manager, event.previousId));
    const incoming = identifiersOf(event, this.settings.defaultPhoneRegion, previousIsUser);
    if (await this.identities.isAnySuppressed(manager, incoming)) return 'suppressed';

    await this.identities.lockIdentifiers(manager, incoming);
    const matched = await this.identities.lockOwners(manager, incoming);
    const plan = planResolution(incoming, matched);

    const survivor = plan.survivorId === null ? await this.profiles.create(manager) : (await this.profiles.findByIds(manager, [plan.survivorId]))[0];
    if (!survivor) throw new Error(`profile ${plan.survivorId} vanished while locked`);
    let traits: TraitState = survivor.traits;
    let consent: TraitState = survivor.consent;

    if (plan.mergedIds.length > 0) {
      for (const merged of await this.profiles.findByIds(manager, plan.mergedIds)) {
        traits = mergeTraitStates(traits, merged.traits);
        consent = mergeTraitStates(consent, merged.consent);
      }
      await this.identities.repoint(manager, plan.mergedIds, survivor.id);
      await this.events.moveToProfile(manager, plan.mergedIds, survivor.id);
      await this.profiles.markMerged(manager, plan.mergedIds, survivor.id);
    }
    await this.identities.attach(manager, survivor.id, plan.newIdentifiers);
    await this.identities.recordConflicts(manager, plan.conflicts, event.messageId, survivor.id);

    const traitUpdate = applyTraits(traits, traitsOf(event) as Record<string, JsonValue>, event.timestamp, source.name);
    const consentUpdate = applyTraits(consent, consentOf(event), event.timestamp, source.name);
    // Most events (page views, product views) change nothing about the person:
    // then the profile row, its version and its trait index are left alone.
    const profileChanged =
      plan.survivorId === null || plan.mergedIds.length > 0 || plan.newIdentifiers.length > 0 || traitUpdate.state !== traits || consentUpdate.state !== consent;
    if (profileChanged) await this.profiles.saveStates(manager, [{ id: survivor.id, traits: traitUpdate.state, consent: consentUpdate.state, changes: 1 }]);

    if (!(await this.events.insert(manager, event, survivor.id))) {
      // Another instance stored the same messageId meanwhile: undo all of this.
      throw new DuplicateEventError();
    }
    const now = this.clock.now();
    const person = { traits: traitUpdate.state, consent: consentUpdate.state };
    if (plan.mergedIds.length > 0) {
      // The survivor's insights are folded again from its whole (now joined) history.
      const { version } = await this.insights.merge(manager, survivor.id, plan.mergedIds, person, now);
      for (const mergedId of plan.mergedIds) await this.outbox.enqueueTombstone(manager, TOPICS.cdpProfileInsights, mergedId);
      const held = await this.identities.identifiersOfProfiles(manager, [survivor.id]);
      await this.outbox.enqueue(manager, profileMergedV1, [
        Object.assign(new (profileMergedV1.valueClass)(), {
          schemaVersion: 1 as const,
          mergeId: randomUUID(),
          survivorProfileId: survivor.id,
          mergedProfileIds: [...plan.mergedIds],
          identifiers: profileIdentifiers(held.get(survivor.id) ?? []),
          survivorVersion: version,
          occurredAt: new Date().toISOString(),
        }),
      ]);
    } else {
      await this.insights.update(manager, survivor.id, person, { kind: 'events', events: [insightEventOf(event, source)], identifiersChanged: plan.survivorId === null || plan.newIdentifiers.length > 0 }, now);
    }
    return 'stored';
  }

  private async isKnownUserId(manager: EntityManager, id: string): Promise<boolean> {
    const rows = (await manager.query(`SELECT 1 FROM identities WHERE type = 'user_id' AND value = $1`, [id])) as unknown[];
    return rows.length > 0;
  }
}

/** What the insight accumulator reads of an event. */
export function insightEventOf(event: RawEventV1, source: AuthenticatedSource): InsightEvent {
  return { type: event.type, event: event.event ?? null, timestamp: event.timestamp, properties: event.properties ?? null, channel: source.channel };
}

export class DuplicateEventError extends Error {
  constructor() {
    super('event already stored by a concurrent transaction');
  }
}
