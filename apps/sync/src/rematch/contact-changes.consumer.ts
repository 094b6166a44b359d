import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { contactChangedV1, type ContactChangedV1 } from '@cds/contracts';
import type { ConsumedMessage, MessageConsumer, MessageProducer } from '@cds/kafka';
import { JsonLogger, MESSAGE_CONSUMER_FACTORY, MESSAGE_PRODUCER, type MessageConsumerFactory } from '@cds/service-kit';
import { CrmEnrichmentClient, PermanentCrmError } from '../crm/crm-enrichment.client.js';
import { LifecycleMetrics, deadLetter, deadLetterInvalid } from '../lifecycle/sync-shared.providers.js';
import { MatchStore } from '../matching/match-store.js';
import { handleContactChange } from './contact-change-handler.js';

export const CONTACT_CHANGES_GROUP_ID = 'sync-crm-contacts';

/** Consumer group `sync-crm-contacts` over crm.contact-changes.v1: unmatched profiles applied as soon as their contact appears. */
@Injectable()
export class ContactChangesConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
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
      groupId: CONTACT_CHANGES_GROUP_ID,
      contract: contactChangedV1,
      fromBeginning: true,
      concurrency: 3,
      onMessage: (message) => this.handle(message),
      onInvalid: async (message) => {
        await deadLetterInvalid(this.producer, this.logger, message);
        this.metrics.handled.inc({ group: CONTACT_CHANGES_GROUP_ID, outcome: 'invalid' });
      },
    });
    this.logger.pino.info({ groupId: CONTACT_CHANGES_GROUP_ID }, 'contact changes consumer started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  private async handle(message: ConsumedMessage<ContactChangedV1>): Promise<void> {
    try {
      const { linked } = await handleContactChange(message.value, {
        pendingFor: (contactId, email) => this.store.pendingFor(contactId, email),
        sendToCrm: (batch) => this.crm.send(batch),
        settle: (links) => this.store.settlePending(links),
      });
      this.metrics.handled.inc({ group: CONTACT_CHANGES_GROUP_ID, outcome: linked > 0 ? 'rematched' : 'nothing-waiting' });
    } catch (error) {
      // The CRM refuses a stored update for what it contains: sending it again cannot help. The rows stay unmatched.
      if (!(error instanceof PermanentCrmError)) throw error;
      await deadLetter(this.producer, this.logger, message, JSON.stringify(message.value), `stored enrichment refused by the CRM: ${error.message}`);
      this.metrics.handled.inc({ group: CONTACT_CHANGES_GROUP_ID, outcome: 'refused' });
    }
  }
}
