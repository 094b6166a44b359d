import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Counter } from 'prom-client';
import { contactChangedV1, parseContractValue, rawEventV1, type ContactChangedV1 } from '@cds/contracts';
import type { ConsumedMessage, InvalidMessage, MessageConsumer } from '@cds/kafka';
import { JsonLogger, MESSAGE_CONSUMER_FACTORY, MetricsService, type MessageConsumerFactory } from '@cds/service-kit';
import { CLOCK, type Clock } from '../clock/clock.js';
import { EventIngestionService } from '../processing/event-ingestion.service.js';
import { SourcesService, type AuthenticatedSource } from '../sources/sources.service.js';
import { contactChangeAsEvent } from './contact-change-event.js';

/**
 * The CRM as a source: sales-entered contacts join the customer's profile
 * (by email, phone or CRM contact id) through the same ingestion as any event.
 */
@Injectable()
export class CrmContactChangesConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: MessageConsumer;
  private readonly consumed: Counter<'outcome'>;
  private source: AuthenticatedSource | undefined;

  constructor(
    @Inject(MESSAGE_CONSUMER_FACTORY) consumerFactory: MessageConsumerFactory,
    private readonly ingestion: EventIngestionService,
    private readonly sources: SourcesService,
    private readonly logger: JsonLogger,
    metrics: MetricsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.consumer = consumerFactory();
    this.consumed = new Counter({ name: 'cdp_crm_contact_changes_total', help: 'CRM contact changes taken in, by outcome', labelNames: ['outcome'], registers: [metrics.registry] });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.source = await this.sources.internalSource('crm', 'crm');
    await this.consumer.start({
      groupId: 'cdp-crm-contacts',
      contract: contactChangedV1,
      fromBeginning: true,
      concurrency: 2,
      onMessage: (message) => this.take(message),
      onInvalid: (message) => this.skip(message),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  private async take(message: ConsumedMessage<ContactChangedV1>): Promise<void> {
    const source = this.source;
    if (!source) throw new Error('the crm source is not ready');
    const event = contactChangeAsEvent(message.value, source.id, this.clock.now());
    if (event === null) {
      this.consumed.inc({ outcome: 'ignored' });
      return;
    }
    this.consumed.inc({ outcome: await this.ingestion.ingest(parseContractValue(rawEventV1, event), source) });
  }

  private async skip(message: InvalidMessage): Promise<void> {
    this.consumed.inc({ outcome: 'invalid' });
    this.logger.pino.error({ topic: message.topic, partition: message.partition, offset: message.offset, reason: message.error.message }, 'invalid CRM contact change skipped');
  }
}
