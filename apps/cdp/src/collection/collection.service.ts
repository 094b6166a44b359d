import { BadRequestException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { Counter } from 'prom-client';
import { rawEventV1, type SegmentEventType } from '@cds/contracts';
import type { MessageProducer } from '@cds/kafka';
import { JsonLogger, MESSAGE_PRODUCER, MetricsService } from '@cds/service-kit';
import { CLOCK, type Clock } from '../clock/clock.js';
import type { AuthenticatedSource } from '../sources/sources.service.js';
import { parseBatchCall, parseSingleCall, type ParsedEvents, type RejectedEvent } from './segment-payload.js';

export interface CollectionResponse {
  readonly success: true;
  readonly accepted: number;
  readonly rejected?: readonly RejectedEvent[];
}

/**
 * Accepts Segment calls: validates each event, then hands the valid ones to the
 * raw-events topic with acks from all in-sync replicas. The HTTP answer comes
 * only after Kafka has them, so an acknowledged event is durable.
 */
@Injectable()
export class CollectionService {
  private readonly acceptedEvents: Counter<'source' | 'type'>;
  private readonly rejectedEvents: Counter<'source'>;

  constructor(
    @Inject(MESSAGE_PRODUCER) private readonly producer: MessageProducer,
    private readonly logger: JsonLogger,
    metrics: MetricsService,
    // The CDP's clock, not the machine's: on a controllable clock an event sent without a timestamp happens "now" in CDP time.
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.acceptedEvents = new Counter({ name: 'cdp_events_accepted_total', help: 'Events accepted by the collection API', labelNames: ['source', 'type'], registers: [metrics.registry] });
    this.rejectedEvents = new Counter({ name: 'cdp_events_rejected_total', help: 'Events refused by the collection API', labelNames: ['source'], registers: [metrics.registry] });
  }

  async single(type: SegmentEventType, source: AuthenticatedSource, body: unknown, bodyBytes?: number): Promise<CollectionResponse> {
    const parsed = parseSingleCall(type, body, { sourceId: source.id, receivedAt: this.clock.now(), bodyBytes });
    if (parsed.accepted.length === 0) {
      this.rejectedEvents.inc({ source: source.name });
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: parsed.rejected[0]?.errors ?? ['invalid event'] });
    }
    return this.store(parsed, source);
  }

  async batch(body: unknown, source: AuthenticatedSource, bodyBytes?: number): Promise<CollectionResponse> {
    const parsed = parseBatchCall(body, { sourceId: source.id, receivedAt: this.clock.now(), bodyBytes });
    if ('error' in parsed) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [parsed.error] });
    if (parsed.accepted.length === 0) {
      this.rejectedEvents.inc({ source: source.name }, parsed.rejected.length);
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['no event in the batch is valid'], rejected: parsed.rejected });
    }
    return this.store(parsed, source);
  }

  private async store(parsed: ParsedEvents, source: AuthenticatedSource): Promise<CollectionResponse> {
    try {
      await this.producer.publish(rawEventV1, parsed.accepted);
    } catch (error) {
      this.logger.pino.error({ err: error, source: source.name, events: parsed.accepted.length }, 'could not store events in Kafka');
      throw new ServiceUnavailableException('events were not accepted: the event store is unavailable, retry later');
    }
    for (const event of parsed.accepted) this.acceptedEvents.inc({ source: source.name, type: event.type });
    if (parsed.rejected.length > 0) this.rejectedEvents.inc({ source: source.name }, parsed.rejected.length);
    return parsed.rejected.length > 0 ? { success: true, accepted: parsed.accepted.length, rejected: parsed.rejected } : { success: true, accepted: parsed.accepted.length };
  }
}
