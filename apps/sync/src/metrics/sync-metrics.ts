import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The bridge's Prometheus series, on the service's own registry (GET /metrics). */
export class SyncMetrics {
  readonly applied: Counter;
  readonly stale: Counter;
  readonly notFound: Counter;
  readonly deadLettered: Counter<'reason'>;
  readonly crmLatency: Histogram<'outcome'>;
  readonly consumerLag: Gauge<'topic' | 'partition'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.applied = new Counter({ name: 'sync_enrichment_applied_total', help: 'Enrichment updates the CRM applied', registers });
    this.stale = new Counter({ name: 'sync_enrichment_stale_total', help: 'Enrichment updates the CRM already had (same or newer version)', registers });
    this.notFound = new Counter({ name: 'sync_enrichment_not_found_total', help: 'Enrichment updates with no matching CRM contact', registers });
    this.deadLettered = new Counter({ name: 'sync_dead_letters_total', help: 'Messages sent to sync.dead-letters.v1, by reason', labelNames: ['reason'], registers });
    this.consumerLag = new Gauge({ name: 'sync_consumer_lag', help: 'Messages of a partition still to be handled, as of its last batch', labelNames: ['topic', 'partition'], registers });
    this.crmLatency = new Histogram({
      name: 'sync_crm_request_duration_seconds',
      help: 'Duration of enrichment batch requests to the CRM, by outcome',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }
}
