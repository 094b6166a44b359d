import { Inject, Optional, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { MessageContract } from '@cds/contracts';
import type { ConsumedMessage, MessageConsumer, MessageProducer } from '@cds/kafka';
import type { JsonLogger, MessageConsumerFactory } from '@cds/service-kit';
import { PermanentCrmError } from '../crm/crm-enrichment.client.js';
import { lifecycleDeadLetterEntry, lifecycleLogEntry } from '../sync-log/lifecycle-log.js';
import { SyncLog } from '../sync-log/sync-log.js';
import { deadLetter, deadLetterInvalid, type LifecycleMetrics } from './sync-shared.providers.js';

/** What a per-message consumer of the bridge does with one message: the outcome it reports, or a refusal. */
export interface MessageHandling<T extends object> {
  readonly groupId: string;
  readonly contract: MessageContract<T>;
  /** Resolves with the outcome label for the metrics; throws to have the message delivered again. */
  handle(message: ConsumedMessage<T>): Promise<string>;
  /**
   * When the CRM refuses for good (PermanentCrmError): the value to keep on the dead-letter topic
   * (null: coordinates only) and why. Without it, such a refusal is retried like any failure.
   */
  readonly onRefused?: (message: ConsumedMessage<T>, error: PermanentCrmError) => { readonly value: string | null; readonly reason: string };
}

/**
 * One consumer group over one contract topic, shared by the contact-change,
 * merge and erasure consumers: contract-invalid messages and permanent CRM
 * refusals are dead-lettered and counted, anything else failing is redelivered.
 */
export class MessageHandlerConsumer<T extends object> implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: MessageConsumer;

  // A property, not a constructor parameter: the subclasses' constructors stay as they are.
  @Optional()
  @Inject(SyncLog)
  private readonly syncLog: SyncLog | undefined;

  constructor(
    consumerFactory: MessageConsumerFactory,
    private readonly producer: MessageProducer,
    private readonly metrics: LifecycleMetrics,
    private readonly logger: JsonLogger,
    private readonly handling: MessageHandling<T>,
  ) {
    this.consumer = consumerFactory();
  }

  async onApplicationBootstrap(): Promise<void> {
    const { groupId } = this.handling;
    await this.consumer.start({
      groupId,
      contract: this.handling.contract,
      fromBeginning: true,
      concurrency: 3,
      onMessage: async (message) => {
        const outcome = await this.handle(message);
        this.metrics.handled.inc({ group: groupId, outcome });
        const entry = lifecycleLogEntry(this.handling.contract.topic.name, message, outcome);
        if (entry) this.syncLog?.append([entry]);
      },
      onInvalid: async (message) => {
        this.syncLog?.append([lifecycleDeadLetterEntry(this.handling.contract.topic.name, await deadLetterInvalid(this.producer, this.logger, message))]);
        this.metrics.handled.inc({ group: groupId, outcome: 'invalid' });
      },
    });
    this.logger.pino.info({ groupId }, 'consumer started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  private async handle(message: ConsumedMessage<T>): Promise<string> {
    try {
      return await this.handling.handle(message);
    } catch (error) {
      if (!(error instanceof PermanentCrmError) || !this.handling.onRefused) throw error;
      const { value, reason } = this.handling.onRefused(message, error);
      this.syncLog?.append([lifecycleDeadLetterEntry(this.handling.contract.topic.name, await deadLetter(this.producer, this.logger, message, value, reason))]);
      return 'refused';
    }
  }
}
