import { identifierKey, type Identifier } from '../identity/identifier.js';
import type { MatchedProfile } from '../identity/identity-resolution.js';
import type { TraitState } from '../profiles/trait-merge.js';

/** A profile as a batch holds it in memory while folding its events. */
export interface BatchProfile {
  readonly id: string;
  readonly createdAt: Date;
  identifiers: Identifier[];
  traits: TraitState;
  consent: TraitState;
}

/**
 * The part of the identity graph a batch of events touches, held in memory: which
 * profile owns each identifier. Loaded once (with the owners locked), then kept
 * current as the batch's ordinary events attach identifiers and create profiles.
 */
export class BatchIdentityGraph {
  private readonly owners = new Map<string, string>();
  private readonly profiles = new Map<string, BatchProfile>();
  /** Rank of creation: identity resolution wants its matches oldest first. */
  private readonly creationRank = new Map<string, number>();

  constructor(profiles: Iterable<BatchProfile>) {
    for (const profile of profiles) this.add(profile);
  }

  /** Adds a profile; those added later count as created later. */
  add(profile: BatchProfile): void {
    this.profiles.set(profile.id, profile);
    this.creationRank.set(profile.id, this.creationRank.size);
    for (const identifier of profile.identifiers) this.owners.set(identifierKey(identifier), profile.id);
  }

  get(profileId: string): BatchProfile {
    const profile = this.profiles.get(profileId);
    if (!profile) throw new Error(`profile ${profileId} is not part of this batch`);
    return profile;
  }

  /** The profiles owning any of the identifiers, oldest first. */
  matched(identifiers: readonly Identifier[]): MatchedProfile[] {
    const ids = new Set(identifiers.map((identifier) => this.owners.get(identifierKey(identifier))).filter((id): id is string => id !== undefined));
    return [...ids].sort((a, b) => (this.creationRank.get(a) as number) - (this.creationRank.get(b) as number)).map((id) => this.get(id));
  }

  attach(profileId: string, identifiers: readonly Identifier[]): void {
    const profile = this.get(profileId);
    profile.identifiers = [...profile.identifiers, ...identifiers];
    for (const identifier of identifiers) this.owners.set(identifierKey(identifier), profileId);
  }
}
