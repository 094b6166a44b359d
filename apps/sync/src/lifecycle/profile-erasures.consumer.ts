import { Inject, Injectable } from '@nestjs/common';
import { profileErasedV1, type ProfileErasedV1 } from '@cds/contracts';
import type { MessageProducer } from '@cds/kafka';
import { JsonLogger, MESSAGE_CONSUMER_FACTORY, MESSAGE_PRODUCER, type MessageConsumerFactory } from '@cds/service-kit';
import { SyncEnv } from '../config/sync-env.js';
import { CrmContactsClient } from '../crm/crm-contacts.client.js';
import { CrmEnrichmentClient } from '../crm/crm-enrichment.client.js';
import { MatchStore } from '../matching/match-store.js';
import { handleErasure } from './erasure-handler.js';
import { MessageHandlerConsumer } from './message-handler-consumer.js';
import { LifecycleMetrics } from './sync-shared.providers.js';

export const PROFILE_ERASURES_GROUP_ID = 'sync-profile-erasures';

/**
 * Consumer group `sync-profile-erasures` over cdp.profile-erasures.v1: linked contacts cleared
 * (`SYNC_ERASURE_ACTION=clear-enrichment`) or erased in the CRM (`delete-contact`), then links
 * and unmatched rows deleted.
 */
@Injectable()
export class ProfileErasuresConsumer extends MessageHandlerConsumer<ProfileErasedV1> {
  constructor(
    @Inject(MESSAGE_CONSUMER_FACTORY) consumerFactory: MessageConsumerFactory,
    @Inject(MESSAGE_PRODUCER) producer: MessageProducer,
    crm: CrmEnrichmentClient,
    contacts: CrmContactsClient,
    env: SyncEnv,
    store: MatchStore,
    metrics: LifecycleMetrics,
    logger: JsonLogger,
  ) {
    super(consumerFactory, producer, metrics, logger, {
      groupId: PROFILE_ERASURES_GROUP_ID,
      contract: profileErasedV1,
      handle: async (message) => {
        const { cleared, erased } = await handleErasure(message.value, {
          links: (profileIds) => store.links(profileIds),
          sendToCrm: (batch) => crm.send(batch),
          eraseContacts: env.SYNC_ERASURE_ACTION === 'delete-contact' ? (request) => contacts.erase(request) : undefined,
          forget: (profileIds) => store.forget(profileIds),
        });
        return erased > 0 ? 'erased' : cleared > 0 ? 'cleared' : 'nothing-linked';
      },
      // Refused for good (should not happen for a clear or an erasure): the links stay, so the erased profile's
      // insights tombstone can still clear the contact. Only the coordinates and key go to the dead-letter topic:
      // an erased person's identifiers are not copied onto another topic.
      onRefused: (_message, error) => ({ value: null, reason: `the erasure was refused by the CRM: ${error.message}` }),
    });
  }
}
