import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { retryingTransaction } from '@cds/service-kit';
import { CLOCK, type Clock } from '../clock/clock.js';
import { CDP_SETTINGS, type CdpSettings } from '../config/cdp-settings.js';
import { EventsRepository } from '../events/events.repository.js';
import { IdentityGraphRepository } from '../identity/identity-graph.repository.js';
import { ProfileInsightsService } from '../insights/profile-insights.service.js';
import { ProfilesRepository } from '../profiles/profiles.repository.js';
import { EventBatch, type EventBatchDependencies, type SourcedEvent } from './event-batch.js';
import { DuplicateEventError, EventIngestionService, type IngestionOutcome } from './event-ingestion.service.js';

// A messageId stored by another instance while the batch ran undoes the batch; the next attempt skips it as a duplicate.
const ATTEMPTS = 3;

/** Processes a batch of accepted events in one transaction (see EventBatch): all of it is stored, or none. */
@Injectable()
export class EventBatchIngestionService {
  private readonly dependencies: EventBatchDependencies;

  constructor(
    private readonly dataSource: DataSource,
    identities: IdentityGraphRepository,
    profiles: ProfilesRepository,
    events: EventsRepository,
    insights: ProfileInsightsService,
    single: EventIngestionService,
    @Inject(CDP_SETTINGS) settings: CdpSettings,
    @Inject(CLOCK) clock: Clock,
  ) {
    this.dependencies = { identities, profiles, events, insights, single, clock, defaultPhoneRegion: settings.defaultPhoneRegion };
  }

  /** Outcomes in the order of the batch. */
  async ingest(batch: readonly SourcedEvent[]): Promise<IngestionOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await retryingTransaction(this.dataSource, (manager) => new EventBatch(this.dependencies, manager, batch).run());
      } catch (error) {
        if (!(error instanceof DuplicateEventError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }
}
