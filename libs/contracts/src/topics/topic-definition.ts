/** A Kafka topic as the project creates it: explicit partitions and configs, never auto-created. */
export interface TopicDefinition {
  readonly name: string;
  readonly partitions: number;
  readonly description: string;
  /** Topic-level configs, e.g. `cleanup.policy: compact` for latest-state topics. */
  readonly config: Readonly<Record<string, string>>;
}

const compacted = { 'cleanup.policy': 'compact', 'min.cleanable.dirty.ratio': '0.1' } as const;
const sevenDays = { 'cleanup.policy': 'delete', 'retention.ms': String(7 * 24 * 3600 * 1000) } as const;
const thirtyDays = { 'cleanup.policy': 'delete', 'retention.ms': String(30 * 24 * 3600 * 1000) } as const;

/**
 * Every topic of the stack. Names carry a version: a breaking change to a
 * message means a new topic (`.v2`) beside the old one, never an in-place change.
 */
export const TOPICS = {
  cdpRawEvents: {
    name: 'cdp.raw-events.v1',
    partitions: 12,
    description: 'Events accepted by the CDP collection API, keyed by identity. Internal to the CDP: never consumed by the CRM or sync.',
    config: sevenDays,
  },
  cdpProfileInsights: {
    name: 'cdp.profile-insights.v1',
    partitions: 12,
    description: 'Latest insight snapshot per CDP profile, keyed by profile id; a tombstone marks an erased or merged-away profile.',
    config: compacted,
  },
  cdpSegmentMembership: {
    name: 'cdp.segment-membership.v1',
    partitions: 12,
    description: 'Segment entered / exited changes, keyed by profile id.',
    config: thirtyDays,
  },
  cdpProfileMerges: {
    name: 'cdp.profile-merges.v1',
    partitions: 12,
    description: 'Profile merges (merged-away profile into survivor), keyed by the survivor profile id.',
    config: thirtyDays,
  },
  cdpProfileErasures: {
    name: 'cdp.profile-erasures.v1',
    partitions: 12,
    description: 'Erasure (right to be forgotten) requests, keyed by profile id.',
    config: thirtyDays,
  },
  crmContactChanges: {
    name: 'crm.contact-changes.v1',
    partitions: 6,
    description: 'CRM contact created / updated / merged / deleted, keyed by contact id. The CDP consumes it as a source.',
    config: thirtyDays,
  },
  syncDeadLetters: {
    name: 'sync.dead-letters.v1',
    partitions: 3,
    description: 'Messages the sync bridge could not apply, with the reason and original coordinates in headers.',
    config: thirtyDays,
  },
} as const satisfies Record<string, TopicDefinition>;

export const ALL_TOPICS: readonly TopicDefinition[] = Object.values(TOPICS);

/** Topic names with a prefix, so parallel test files never share a topic. */
export function prefixedTopic(topic: TopicDefinition, prefix: string): TopicDefinition {
  return prefix ? { ...topic, name: `${prefix}${topic.name}` } : topic;
}
