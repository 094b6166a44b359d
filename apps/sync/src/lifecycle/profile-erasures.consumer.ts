import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { profileErasedV1, type ProfileErasedV1 } from '@cds/contracts';
import type { ConsumedMessage, MessageConsumer, MessageProducer } from '@cds/kafka';
import { JsonLogger, MESSAGE_CONSUMER_FACTORY, MESSAGE_PRODUCER, type MessageConsumerFactory } from '@cds/service-kit';
import { CrmEnrichmentClient, PermanentCrmError } from '../crm/crm-enrichment.client.js';
import { MatchStore } from '../matching/match-store.js';
import { handleErasure } from './erasure-handler.js';
import { LifecycleMetrics, deadLetter, deadLetterInvalid } from './sync-shared.providers.js';

export const PROFILE_ERASURES_GROUP_ID = 'sync-profile-erasures';

/** Consumer group `sync-profile-erasures` over cdp.profile-erasures.v1: linked contacts cleared, links and unmatched rows deleted. */
@Injectable()
export class ProfileErasuresConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: MessageConsumer;

  constructor(
    @Inject(MESSAGE_CONSUMER_FACTORY) consumerFactory: MessageConsumerFactory,
    @Inject(MESSAGE_PRODUCER) private readonly producer: MessageProducer,
    private readonly crm: CrmEnrichmentClient,
    private readonly store: MatchStore,
    private readonly metrics: LifecycleMetrics,
    private readonly logger: JsonLogger,
  ) {
    this.consumer = consumerFactory();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start({
      groupId: PROFILE_ERASURES_GROUP_ID,
      contract: profileErasedV1,
      fromBeginning: true,
      concurrency: 3,
      onMessage: (message) => this.handle(message),
      onInvalid: async (message) => {
        await deadLetterInvalid(this.producer, this.logger, message);
        this.metrics.handled.inc({ group: PROFILE_ERASURES_GROUP_ID, outcome: 'invalid' });
      },
    });
    this.logger.pino.info({ groupId: PROFILE_ERASURES_GROUP_ID }, 'profile erasures consumer started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  private async handle(message: ConsumedMessage<ProfileErasedV1>): Promise<void> {
    try {
      const { cleared } = await handleErasure(message.value, {
        links: (profileIds) => this.store.links(profileIds),
        sendToCrm: (batch) => this.crm.send(batch),
        forget: (profileIds) => this.store.forget(profileIds),
      });
      this.metrics.handled.inc({ group: PROFILE_ERASURES_GROUP_ID, outcome: cleared > 0 ? 'cleared' : 'nothing-linked' });
    } catch (error) {
      // Refused for good (should not happen for a clear): keep the links, so the erased profile's insights
      // tombstone can still clear the contact, and leave the erasure on the dead-letter topic for a person.
      if (!(error instanceof PermanentCrmError)) throw error;
      // Only the coordinates (and the key): an erased person's identifiers are not copied onto another topic.
      await deadLetter(this.producer, this.logger, message, null, `clearing the enrichment was refused by the CRM: ${error.message}`);
      this.metrics.handled.inc({ group: PROFILE_ERASURES_GROUP_ID, outcome: 'refused' });
    }
  }
}
