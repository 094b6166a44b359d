import { describe, expect, it } from '@jest/globals';
import type { EnrichmentUpdateV1 } from '@cds/contracts';
import { deadLetterOf } from '../bridge/insights-batch-processor.js';
import { answerEntries, creationEntries, deadLetterEntry } from './insights-log.js';
import { lifecycleDeadLetterEntry, lifecycleLogEntry } from './lifecycle-log.js';
import { SyncLog } from './sync-log.js';
import type { SyncLogStore, TimedSyncLogEntry } from './sync-log.store.js';

const PROFILE = '0b8c8f5e-8f3a-4c1e-9a53-1d5c8f0e2a11';
const CONTACT = '6f1f7a52-2b7e-4a55-9d4e-7d0c1b1e9f01';

describe('answerEntries', () => {
  it('logs each update with its outcome, a clear as cleared, and why nothing was found', () => {
    const updates: EnrichmentUpdateV1[] = [
      { contactId: CONTACT, profileId: PROFILE, version: 4, enrichment: null },
      { email: 'nobody@example.com', profileId: 'p-2', version: 1, enrichment: null },
    ];
    const source = { topic: 't.cdp.profile-insights.v1', partition: 3, offset: '17' };
    const entries = answerEntries(updates, { results: [{ index: 0, outcome: 'applied', contactId: CONTACT }, { index: 1, outcome: 'not_found', contactId: null }] }, (profileId) => (profileId === PROFILE ? source : null));
    expect(entries).toEqual([
      { kind: 'cleared', profileId: PROFILE, contactId: CONTACT, version: 4, source, reason: null },
      { kind: 'not_found', profileId: 'p-2', contactId: null, version: 1, source: null, reason: 'no CRM contact with that email' },
    ]);
  });
});

describe('creationEntries', () => {
  it('logs only the contacts actually created', () => {
    const batch = { contacts: [{ profileId: PROFILE, email: 'new@example.com' }, { profileId: 'p-2', email: 'old@example.com' }] };
    const answer = { results: [{ index: 0, outcome: 'created' as const, contactId: CONTACT }, { index: 1, outcome: 'existing' as const, contactId: CONTACT }] };
    expect(creationEntries(batch, answer)).toEqual([{ kind: 'created', profileId: PROFILE, contactId: CONTACT, source: null, reason: 'contact created for the profile (upsert)' }]);
  });
});

describe('deadLetterEntry', () => {
  it('keeps the reason and the original coordinates of the letter', () => {
    const letter = deadLetterOf({ topic: 't.cdp.profile-insights.v1', partition: 2, offset: '9', key: 'poison', value: 'x', headers: {} }, 'value is not valid JSON');
    expect(deadLetterEntry(letter)).toEqual({ kind: 'dead_lettered', profileId: 'poison', source: { topic: 't.cdp.profile-insights.v1', partition: 2, offset: '9' }, reason: 'value is not valid JSON' });
  });
});

describe('lifecycleLogEntry', () => {
  const message = { topic: 't.x', partition: 0, offset: '5', key: PROFILE, headers: {} };
  it('names what the per-message consumers did, keyed as their topic is', () => {
    expect(lifecycleLogEntry('cdp.profile-erasures.v1', message, 'cleared')).toMatchObject({ kind: 'erased', profileId: PROFILE, reason: 'cleared' });
    expect(lifecycleLogEntry('crm.contact-changes.v1', { ...message, key: CONTACT }, 'rematched')).toMatchObject({ kind: 'rematched', contactId: CONTACT });
    expect(lifecycleLogEntry('cdp.profile-merges.v1', message, 'link-moved')).toMatchObject({ kind: 'merged', source: { topic: 't.x', partition: 0, offset: '5' } });
  });

  it("logs a contact change's dead letter under its contact id", () => {
    const letter = deadLetterOf({ topic: 't.crm.contact-changes.v1', partition: 1, offset: '2', key: CONTACT, value: '{}', headers: {} }, 'bad');
    expect(lifecycleDeadLetterEntry('crm.contact-changes.v1', letter)).toMatchObject({ kind: 'dead_lettered', profileId: null, contactId: CONTACT, reason: 'bad' });
    expect(lifecycleDeadLetterEntry('cdp.profile-merges.v1', letter)).toMatchObject({ profileId: CONTACT });
  });

  it('logs nothing for a message that changed nothing', () => {
    expect(lifecycleLogEntry('crm.contact-changes.v1', message, 'nothing-waiting')).toBeNull();
    expect(lifecycleLogEntry('cdp.profile-erasures.v1', message, 'nothing-linked')).toBeNull();
  });
});

describe('SyncLog', () => {
  it('writes what is buffered in one insert, and keeps it buffered when the write fails', async () => {
    const writes: TimedSyncLogEntry[][] = [];
    let failing = true;
    const store = {
      insert: async (entries: readonly TimedSyncLogEntry[]) => {
        if (failing) throw new Error('database down');
        writes.push([...entries]);
      },
    } as unknown as SyncLogStore;
    const log = new SyncLog(store);
    log.append([{ kind: 'applied', profileId: 'a' }, { kind: 'stale', profileId: 'b' }]);
    await expect(log.flush()).rejects.toThrow('sync log not written (2 entries buffered)');
    failing = false;
    log.append([{ kind: 'not_found', profileId: 'c' }]);
    await log.flushAll();
    expect(writes.map((batch) => batch.map((entry) => entry.profileId))).toEqual([['a', 'b', 'c']]);
  });
});
