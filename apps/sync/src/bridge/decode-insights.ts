import { ContractViolationError, parseContractValue, profileInsightsV1 } from '@cds/contracts';
import type { InsightsEntry } from '../enrichment/insights-to-enrichment.js';
import type { RawRecord } from './partition-batch-consumer.js';

export interface RejectedRecord {
  readonly record: RawRecord;
  readonly reason: string;
}

/** Splits a partition's raw messages into snapshots, tombstones and contract-breaking (poison) messages. */
export function decodeInsights(records: readonly RawRecord[]): { entries: InsightsEntry<RawRecord>[]; invalid: RejectedRecord[] } {
  const entries: InsightsEntry<RawRecord>[] = [];
  const invalid: RejectedRecord[] = [];
  for (const record of records) {
    if (record.value === null) {
      if (record.key) entries.push({ kind: 'tombstone', profileId: record.key, record });
      else invalid.push({ record, reason: 'tombstone without a key: no profile to clear' });
      continue;
    }
    let plain: unknown;
    try {
      plain = JSON.parse(record.value) as unknown;
    } catch {
      invalid.push({ record, reason: 'value is not valid JSON' });
      continue;
    }
    try {
      const snapshot = parseContractValue(profileInsightsV1, plain);
      entries.push({ kind: 'snapshot', profileId: snapshot.profileId, snapshot, record });
    } catch (error) {
      if (!(error instanceof ContractViolationError)) throw error;
      invalid.push({ record, reason: error.message });
    }
  }
  return { entries, invalid };
}
