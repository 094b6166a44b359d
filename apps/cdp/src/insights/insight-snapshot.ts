import { PERSON_NAME_MAX_LENGTH } from '@cds/contracts';
import type { BehaviouralInsights } from './insight-accumulator.js';

/** RFM and model outputs of a profile (see insight-scores.ts); null where a model has nothing to say. */
export interface InsightScores {
  readonly rfm: { readonly recency: number; readonly frequency: number; readonly monetary: number; readonly segment: string; readonly scoredAt: string } | null;
  readonly predictedLifetimeValue: number | null;
  readonly probabilityAlive: number | null;
  readonly churnRisk: number | null;
  readonly purchaseProbability30d: number | null;
}

export interface SnapshotSegment {
  readonly segmentId: string;
  readonly key: string;
  readonly name: string;
  readonly enteredAt: string;
}

/** A trait or consent entry as the profile holds it: the value and when it was observed. */
type Observed = Readonly<Record<string, { readonly value: unknown; readonly observedAt: string }>>;

export interface PersonName {
  readonly firstName?: string;
  readonly lastName?: string;
}

/**
 * The content of a profile's `cdp.profile-insights.v1` message without its
 * version and time: what is compared to decide whether anything changed.
 */
export interface PublishedInsights {
  readonly profileId: string;
  readonly identifiers: { readonly userIds: readonly string[]; readonly emails: readonly string[]; readonly crmContactIds: readonly string[] };
  /** Left out, not null, when unknown: a snapshot stored before names were published then still compares equal. */
  readonly name?: PersonName;
  readonly insights: Omit<BehaviouralInsights, 'unconvertedRevenue'> & InsightScores & { readonly unconvertedRevenue: readonly { currency: string; amount: number }[] };
  readonly segments: readonly SnapshotSegment[];
  readonly consent: readonly { readonly purpose: string; readonly granted: boolean; readonly updatedAt: string }[];
}

export interface SnapshotParts {
  readonly profileId: string;
  readonly identifiers: PublishedInsights['identifiers'];
  readonly behaviour: BehaviouralInsights;
  readonly scores: InsightScores;
  readonly segments: readonly SnapshotSegment[];
  readonly consent: Observed;
  readonly traits: Observed;
}

/** The explicit name traits, each part under its Segment-spec spelling first. */
const NAME_TRAITS = { firstName: ['firstName', 'first_name'], lastName: ['lastName', 'last_name'] } as const;

/**
 * The person's name from the explicit first/last name traits (a `name` trait
 * is not split: guessing where a first name ends would be wrong for many
 * names). Where both spellings of a part are held, the newer observation wins,
 * as it does for any trait. A value that is not usable text (not a string,
 * blank, longer than the contract allows) leaves that part unknown. Undefined
 * when neither part is known.
 */
export function personName(traits: Observed): PersonName | undefined {
  const name: { firstName?: string; lastName?: string } = {};
  for (const part of ['firstName', 'lastName'] as const) {
    const value = newestOf(traits, NAME_TRAITS[part]);
    const text = typeof value === 'string' ? value.trim() : '';
    if (text.length > 0 && text.length <= PERSON_NAME_MAX_LENGTH) name[part] = text;
  }
  return name.firstName === undefined && name.lastName === undefined ? undefined : name;
}

/** The value of the most recently observed of these traits; on a tie the first listed. */
function newestOf(traits: Observed, names: readonly string[]): unknown {
  let newest: { readonly value: unknown; readonly observedAt: string } | undefined;
  for (const name of names) {
    const entry = traits[name];
    if (entry && (!newest || Date.parse(entry.observedAt) > Date.parse(newest.observedAt))) newest = entry;
  }
  return newest?.value;
}

/**
 * Assembles the snapshot in a canonical order (sorted lists), so that equal
 * content always serialises equally. `lastSeenAt` is kept to the minute: every
 * page view moves it, and a consumer gains nothing from a new message per click.
 */
export function buildSnapshot(parts: SnapshotParts): PublishedInsights {
  const { unconvertedRevenue, ...behaviour } = parts.behaviour;
  const name = personName(parts.traits);
  return {
    profileId: parts.profileId,
    identifiers: {
      userIds: [...parts.identifiers.userIds].sort(),
      emails: [...parts.identifiers.emails].sort(),
      crmContactIds: [...parts.identifiers.crmContactIds].sort(),
    },
    ...(name ? { name } : {}),
    insights: {
      ...behaviour,
      lastSeenAt: behaviour.lastSeenAt === null ? null : `${behaviour.lastSeenAt.slice(0, 16)}:00.000Z`,
      unconvertedRevenue: Object.entries(unconvertedRevenue)
        .map(([currency, amount]) => ({ currency, amount }))
        .sort((a, b) => a.currency.localeCompare(b.currency)),
      ...parts.scores,
    },
    segments: [...parts.segments].sort((a, b) => a.key.localeCompare(b.key)),
    consent: Object.entries(parts.consent)
      .filter((entry): entry is [string, { value: boolean; observedAt: string }] => typeof entry[1].value === 'boolean')
      .map(([purpose, entry]) => ({ purpose, granted: entry.value, updatedAt: entry.observedAt }))
      .sort((a, b) => a.purpose.localeCompare(b.purpose)),
  };
}

/** Whether two snapshots say the same. Key order is ignored: one of them may have come back from a jsonb column, which reorders keys. */
export function sameSnapshot(a: PublishedInsights | null, b: PublishedInsights): boolean {
  return a !== null && canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, field]) => field !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The insight values segment rules read (insight-fields.ts names): the snapshot's insights with RFM flattened. */
export function ruleInsightValues(insights: Omit<BehaviouralInsights, 'unconvertedRevenue'> & InsightScores & { readonly unconvertedRevenue?: unknown }): Record<string, unknown> {
  const { rfm, ...rest } = insights;
  const values: Record<string, unknown> = { ...rest, rfmRecency: rfm?.recency ?? null, rfmFrequency: rfm?.frequency ?? null, rfmMonetary: rfm?.monetary ?? null, rfmSegment: rfm?.segment ?? null };
  // Not an insight field of the rule language: revenue the reporting currency cannot express.
  delete values['unconvertedRevenue'];
  return values;
}
