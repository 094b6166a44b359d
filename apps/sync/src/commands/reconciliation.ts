import type { ProfileInsightsV1 } from '@cds/contracts';
import { decodeInsights } from '../bridge/decode-insights.js';
import type { RawRecord } from '../bridge/partition-batch-consumer.js';
import { chooseContact, coalesceLatest, type InsightsEntry } from '../enrichment/insights-to-enrichment.js';
import type { StoredLink } from '../matching/match-store.js';
import type { ContactEnrichmentState } from './crm-enrichment-states.js';

/** A profile's newest snapshot on the insights topic, with the message it came in. */
export interface NewestProfile {
  readonly snapshot: ProfileInsightsV1;
  readonly record: RawRecord;
}

/**
 * The topic's live profiles, folded in batch after batch as they are read:
 * per profile, the newest snapshot; a tombstone after every snapshot removes
 * the profile (the bridge's own rule, coalesceLatest). Messages that break the
 * contract are counted, not kept.
 */
export class NewestProfiles {
  private readonly latest = new Map<string, InsightsEntry<RawRecord>>();
  private invalidCount = 0;

  add(records: readonly RawRecord[]): void {
    const { entries, invalid } = decodeInsights(records);
    this.invalidCount += invalid.length;
    const held = [...new Set(entries.map((entry) => entry.profileId))].flatMap((profileId) => {
      const entry = this.latest.get(profileId);
      return entry ? [entry] : [];
    });
    for (const entry of coalesceLatest([...held, ...entries])) this.latest.set(entry.profileId, entry);
  }

  get invalid(): number {
    return this.invalidCount;
  }

  profiles(): Map<string, NewestProfile> {
    const profiles = new Map<string, NewestProfile>();
    for (const entry of this.latest.values()) if (entry.kind === 'snapshot') profiles.set(entry.profileId, { snapshot: entry.snapshot, record: entry.record });
    return profiles;
  }
}

/** The live profiles of a whole list of messages (see NewestProfiles). */
export function newestProfiles(records: readonly RawRecord[]): { profiles: Map<string, NewestProfile>; invalid: number } {
  const folded = new NewestProfiles();
  folded.add(records);
  return { profiles: folded.profiles(), invalid: folded.invalid };
}

export interface MatchedItem {
  readonly profileId: string;
  readonly contactId: string;
  readonly topicVersion: number;
  /** The contact's enrichment version; null when it carries none. */
  readonly crmVersion: number | null;
}

export interface ExtraItem {
  readonly contactId: string;
  readonly profileId: string;
  readonly crmVersion: number;
}

export interface UnmatchedItem {
  readonly profileId: string;
  readonly topicVersion: number;
  /** The contact id or email the profile names, if any. */
  readonly target: string | null;
}

export interface Reconciliation {
  readonly inSync: MatchedItem[];
  /** The matched contact carries no enrichment. */
  readonly missing: MatchedItem[];
  /** The contact's version is lower than the topic's newest. */
  readonly stale: MatchedItem[];
  /** The contact is enriched from a profile the topic no longer has. */
  readonly extra: ExtraItem[];
  /** No CRM contact for the profile. */
  readonly unmatched: UnmatchedItem[];
}

/**
 * Compares the topic's profiles with the CRM's contacts, matching as the
 * bridge does: the stored link, else the CRM contact id the profile carries,
 * else its email. A contact whose version is at or above the topic's is in
 * sync even if another profile's data is there: the CRM's version guard would
 * keep it too (the bridge would be answered `stale`).
 */
export function reconcile(profiles: ReadonlyMap<string, NewestProfile>, contacts: readonly ContactEnrichmentState[], links: ReadonlyMap<string, StoredLink>): Reconciliation {
  const byId = new Map(contacts.map((contact) => [contact.contactId.toLowerCase(), contact]));
  const byEmail = new Map(contacts.flatMap((contact) => (contact.email ? [[contact.email.toLowerCase(), contact] as const] : [])));
  const result: Reconciliation = { inSync: [], missing: [], stale: [], extra: [], unmatched: [] };
  for (const [profileId, { snapshot }] of profiles) {
    const target = chooseContact(snapshot, links.get(profileId)?.contactId);
    const contact = !target ? undefined : 'contactId' in target ? byId.get(target.contactId.toLowerCase()) : byEmail.get(target.email);
    if (!contact) {
      result.unmatched.push({ profileId, topicVersion: snapshot.version, target: !target ? null : 'contactId' in target ? target.contactId : target.email });
      continue;
    }
    const item: MatchedItem = { profileId, contactId: contact.contactId, topicVersion: snapshot.version, crmVersion: contact.profileId === null ? null : contact.version };
    if (contact.profileId === null) result.missing.push(item);
    else if (contact.version < snapshot.version) result.stale.push(item);
    else result.inSync.push(item);
  }
  for (const contact of contacts) {
    if (contact.profileId !== null && !profiles.has(contact.profileId)) result.extra.push({ contactId: contact.contactId, profileId: contact.profileId, crmVersion: contact.version });
  }
  return result;
}

export interface ReconciliationReport {
  readonly profiles: number;
  readonly contacts: number;
  readonly invalidMessages: number;
  readonly counts: { readonly inSync: number; readonly missing: number; readonly stale: number; readonly extra: number; readonly unmatched: number };
  /** The first few of each kind. */
  readonly examples: { readonly missing: MatchedItem[]; readonly stale: MatchedItem[]; readonly extra: ExtraItem[]; readonly unmatched: UnmatchedItem[] };
}

export function reportOf(reconciliation: Reconciliation, totals: { profiles: number; contacts: number; invalidMessages: number }, examples = 5): ReconciliationReport {
  const { inSync, missing, stale, extra, unmatched } = reconciliation;
  return {
    ...totals,
    counts: { inSync: inSync.length, missing: missing.length, stale: stale.length, extra: extra.length, unmatched: unmatched.length },
    examples: { missing: missing.slice(0, examples), stale: stale.slice(0, examples), extra: extra.slice(0, examples), unmatched: unmatched.slice(0, examples) },
  };
}

export function formatReport(title: string, report: ReconciliationReport): string {
  const lines = [`${title}: ${report.profiles} profile(s) on the topic, ${report.contacts} CRM contact(s), ${report.invalidMessages} invalid message(s) ignored`];
  const { counts, examples } = report;
  lines.push(`  in sync    ${counts.inSync}`);
  lines.push(`  missing    ${counts.missing}${examples.missing.map((item) => `\n    profile ${item.profileId} -> contact ${item.contactId}: topic v${item.topicVersion}, CRM has none`).join('')}`);
  lines.push(`  stale      ${counts.stale}${examples.stale.map((item) => `\n    profile ${item.profileId} -> contact ${item.contactId}: topic v${item.topicVersion}, CRM v${item.crmVersion ?? 0}`).join('')}`);
  lines.push(`  extra      ${counts.extra}${examples.extra.map((item) => `\n    contact ${item.contactId}: enriched from profile ${item.profileId} (v${item.crmVersion}), gone from the topic`).join('')}`);
  lines.push(`  unmatched  ${counts.unmatched}${examples.unmatched.map((item) => `\n    profile ${item.profileId} (v${item.topicVersion}): no contact for ${item.target ?? 'any identifier'}`).join('')}`);
  return lines.join('\n');
}
