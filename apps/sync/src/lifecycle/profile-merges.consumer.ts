import { Inject, Injectable } from '@nestjs/common';
import { profileMergedV1, type ProfileMergedV1 } from '@cds/contracts';
import type { MessageProducer } from '@cds/kafka';
import { JsonLogger, MESSAGE_CONSUMER_FACTORY, MESSAGE_PRODUCER, type MessageConsumerFactory } from '@cds/service-kit';
import { MatchStore } from '../matching/match-store.js';
import { planMerge } from './lifecycle-decisions.js';
import { MessageHandlerConsumer } from './message-handler-consumer.js';
import { LifecycleMetrics } from './sync-shared.providers.js';

export const PROFILE_MERGES_GROUP_ID = 'sync-profile-merges';

/** Consumer group `sync-profile-merges` over cdp.profile-merges.v1: merged-away profiles' links move to the survivor or go. */
@Injectable()
export class ProfileMergesConsumer extends MessageHandlerConsumer<ProfileMergedV1> {
  constructor(
    @Inject(MESSAGE_CONSUMER_FACTORY) consumerFactory: MessageConsumerFactory,
    @Inject(MESSAGE_PRODUCER) producer: MessageProducer,
    store: MatchStore,
    metrics: LifecycleMetrics,
    logger: JsonLogger,
  ) {
    super(consumerFactory, producer, metrics, logger, {
      groupId: PROFILE_MERGES_GROUP_ID,
      contract: profileMergedV1,
      handle: async ({ value: { survivorProfileId, mergedProfileIds } }) => {
        const plan = await store.applyMerge(survivorProfileId, mergedProfileIds, (links) => planMerge(survivorProfileId, mergedProfileIds, links));
        return plan.move ? 'link-moved' : plan.unlink.length > 0 ? 'links-removed' : 'nothing-linked';
      },
    });
  }
}
