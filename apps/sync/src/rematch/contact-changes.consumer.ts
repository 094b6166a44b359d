import { Inject, Injectable } from '@nestjs/common';
import { contactChangedV1, type ContactChangedV1 } from '@cds/contracts';
import type { MessageProducer } from '@cds/kafka';
import { JsonLogger, MESSAGE_CONSUMER_FACTORY, MESSAGE_PRODUCER, type MessageConsumerFactory } from '@cds/service-kit';
import { CrmEnrichmentClient } from '../crm/crm-enrichment.client.js';
import { MessageHandlerConsumer } from '../lifecycle/message-handler-consumer.js';
import { LifecycleMetrics } from '../lifecycle/sync-shared.providers.js';
import { MatchStore } from '../matching/match-store.js';
import { handleContactChange } from './contact-change-handler.js';

export const CONTACT_CHANGES_GROUP_ID = 'sync-crm-contacts';

/** Consumer group `sync-crm-contacts` over crm.contact-changes.v1: unmatched profiles applied as soon as their contact appears. */
@Injectable()
export class ContactChangesConsumer extends MessageHandlerConsumer<ContactChangedV1> {
  constructor(
    @Inject(MESSAGE_CONSUMER_FACTORY) consumerFactory: MessageConsumerFactory,
    @Inject(MESSAGE_PRODUCER) producer: MessageProducer,
    crm: CrmEnrichmentClient,
    store: MatchStore,
    metrics: LifecycleMetrics,
    logger: JsonLogger,
  ) {
    super(consumerFactory, producer, metrics, logger, {
      groupId: CONTACT_CHANGES_GROUP_ID,
      contract: contactChangedV1,
      handle: async (message) => {
        const { linked } = await handleContactChange(message.value, {
          pendingFor: (contactId, email) => store.pendingFor(contactId, email),
          sendToCrm: (batch) => crm.send(batch),
          settle: (links) => store.settlePending(links),
        });
        return linked > 0 ? 'rematched' : 'nothing-waiting';
      },
      // The CRM refuses a stored update for what it contains: sending it again cannot help; the rows stay unmatched.
      onRefused: (message, error) => ({ value: JSON.stringify(message.value), reason: `stored enrichment refused by the CRM: ${error.message}` }),
    });
  }
}
