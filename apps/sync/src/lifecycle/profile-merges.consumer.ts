import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { profileMergedV1, type ProfileMergedV1 } from '@cds/contracts';
import type { ConsumedMessage, MessageConsumer, MessageProducer } from '@cds/kafka';
import { JsonLogger, MESSAGE_CONSUMER_FACTORY, MESSAGE_PRODUCER, type MessageConsumerFactory } from '@cds/service-kit';
import { MatchStore } from '../matching/match-store.js';
import { planMerge } from './lifecycle-decisions.js';
import { LifecycleMetrics, deadLetterInvalid } from './sync-shared.providers.js';

export const PROFILE_MERGES_GROUP_ID = 'sync-profile-merges';

/** Consumer group `sync-profile-merges` over cdp.profile-merges.v1: merged-away profiles' links move to the survivor or go. */
@Injectable()
export class ProfileMergesConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: MessageConsumer;

  constructor(
    @Inject(MESSAGE_CONSUMER_FACTORY) consumerFactory: MessageConsumerFactory,
    @Inject(MESSAGE_PRODUCER) private readonly producer: MessageProducer,
    private readonly store: MatchStore,
    private readonly metrics: LifecycleMetrics,
    private readonly logger: JsonLogger,
  ) {
    this.consumer = consumerFactory();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start({
      groupId: PROFILE_MERGES_GROUP_ID,
      contract: profileMergedV1,
      fromBeginning: true,
      concurrency: 3,
      onMessage: (message) => this.handle(message),
      onInvalid: async (message) => {
        await deadLetterInvalid(this.producer, this.logger, message);
        this.metrics.handled.inc({ group: PROFILE_MERGES_GROUP_ID, outcome: 'invalid' });
      },
    });
    this.logger.pino.info({ groupId: PROFILE_MERGES_GROUP_ID }, 'profile merges consumer started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  private async handle(message: ConsumedMessage<ProfileMergedV1>): Promise<void> {
    const { survivorProfileId, mergedProfileIds } = message.value;
    const plan = await this.store.applyMerge(survivorProfileId, mergedProfileIds, (links) => planMerge(survivorProfileId, mergedProfileIds, links));
    this.metrics.handled.inc({ group: PROFILE_MERGES_GROUP_ID, outcome: plan.move ? 'link-moved' : plan.unlink.length > 0 ? 'links-removed' : 'nothing-linked' });
  }
}
