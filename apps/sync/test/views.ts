// What the services' APIs answer, as far as the sync's tests look.

export interface Enrichment {
  readonly lifetimeValue: number;
  readonly orderCount: number;
  readonly segments: readonly { key: string; name: string; enteredAt: string }[];
}

export interface ContactView {
  readonly id: string;
  readonly email: string | null;
  readonly owner: string | null;
  readonly enrichment: Enrichment | null;
  readonly enrichmentVersion: number;
  readonly cdpProfileId: string | null;
  readonly timeline: readonly { kind: string; summary: string }[];
}

export interface InsightsView {
  readonly profileId: string;
  readonly version: number;
  readonly snapshot: {
    readonly insights: { lifetimeValue: number; orderCount: number };
    readonly segments: readonly { key: string }[];
    readonly identifiers: { crmContactIds: string[] };
  } | null;
}

export interface ProfileView {
  readonly id: string;
  readonly identities: readonly { type: string; value: string }[];
  readonly traitSources: Readonly<Record<string, { source: string }>>;
}

export const segmentKeys = (enrichment: Enrichment | null | undefined): string[] => (enrichment?.segments ?? []).map((segment) => segment.key);
