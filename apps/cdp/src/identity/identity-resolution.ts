import { byPriority, identifierKey, IDENTIFIER_RULES, type Identifier, type IdentifierType } from './identifier.js';

/** A live (not merged-away) profile that owns at least one of an event's identifiers. */
export interface MatchedProfile {
  readonly id: string;
  readonly createdAt: Date;
  readonly identifiers: readonly Identifier[];
}

export type IdentityConflict =
  | {
      readonly kind: 'merge_refused';
      /** The profile the event stays with (null: the new profile it creates), and the one it would have been merged with. */
      readonly profileId: string | null;
      readonly otherProfileId: string;
      readonly identifierType: IdentifierType;
      readonly values: readonly string[];
    }
  | {
      readonly kind: 'identifier_refused';
      readonly profileId: string | null;
      readonly identifier: Identifier;
    };

export interface ResolutionPlan {
  /** The profile the event belongs to; null means a new profile is created. */
  readonly survivorId: string | null;
  /** Profiles merged into the survivor (each keeps a pointer to it). */
  readonly mergedIds: readonly string[];
  /** Identifiers the survivor gains, those of merged profiles excluded (they move with a re-point). */
  readonly newIdentifiers: readonly Identifier[];
  readonly conflicts: readonly IdentityConflict[];
}

/**
 * Decides what an event's identifiers do to the identity graph: create a profile,
 * join one, or merge several. Merges never exceed an identifier type's limit, so
 * two different user ids never end up on one profile: that merge is refused and
 * reported as a conflict, and the event stays with the strongest match.
 * `matched` comes oldest first: its order breaks ties between creation times a
 * millisecond cannot tell apart (profiles created by one batch).
 */
export function planResolution(incoming: readonly Identifier[], matched: readonly MatchedProfile[]): ResolutionPlan {
  const wanted = dedupe(incoming).sort(byPriority);
  if (matched.length === 0) {
    const { accepted, refused } = withinLimits([], wanted);
    return { survivorId: null, mergedIds: [], newIdentifiers: accepted, conflicts: refused.map((identifier) => ({ kind: 'identifier_refused', profileId: null, identifier })) };
  }

  const older = (a: MatchedProfile, b: MatchedProfile): number => a.createdAt.getTime() - b.createdAt.getTime() || matched.indexOf(a) - matched.indexOf(b);
  const ordered = [...matched].sort((a, b) => strength(a, wanted) - strength(b, wanted) || older(a, b));
  // The event belongs to its strongest identifier's person: a profile that would
  // break a limit by taking that identifier (another userId) is someone else.
  const strongest = wanted[0] as Identifier;
  const fits = (profile: MatchedProfile): boolean => !firstExceededType([...profile.identifiers, strongest]);
  const compatible = ordered.filter(fits);
  const strangers = ordered.filter((profile) => !fits(profile));
  const strangerConflicts = (profileId: string | null): IdentityConflict[] =>
    strangers.map((other) => ({ kind: 'merge_refused', profileId, otherProfileId: other.id, identifierType: strongest.type, values: valuesOf(strongest.type, [...other.identifiers, strongest]) }));
  if (compatible.length === 0) {
    const owned = new Set(strangers.flatMap((profile) => profile.identifiers.map(identifierKey)));
    const { accepted, refused } = withinLimits([], wanted.filter((identifier) => !owned.has(identifierKey(identifier))));
    return {
      survivorId: null,
      mergedIds: [],
      newIdentifiers: accepted,
      conflicts: [...strangerConflicts(null), ...refused.map((identifier): IdentityConflict => ({ kind: 'identifier_refused', profileId: null, identifier }))],
    };
  }
  const [primary, ...others] = compatible as [MatchedProfile, ...MatchedProfile[]];
  const conflicts: IdentityConflict[] = strangerConflicts(primary.id);
  const group: MatchedProfile[] = [primary];
  let held = [...primary.identifiers];
  for (const other of others) {
    const exceeded = firstExceededType([...held, ...other.identifiers]);
    if (exceeded) {
      const values = valuesOf(exceeded, [...held, ...other.identifiers]);
      conflicts.push({ kind: 'merge_refused', profileId: primary.id, otherProfileId: other.id, identifierType: exceeded, values });
      continue;
    }
    group.push(other);
    held = [...held, ...other.identifiers];
  }

  // The oldest profile of the group survives, so ids handed out earlier stay valid.
  const survivor = [...group].sort(older)[0] as MatchedProfile;
  const ownedElsewhere = new Set(ordered.filter((profile) => !group.includes(profile)).flatMap((profile) => profile.identifiers.map(identifierKey)));
  const heldKeys = new Set(held.map(identifierKey));
  const candidates = wanted.filter((identifier) => !heldKeys.has(identifierKey(identifier)) && !ownedElsewhere.has(identifierKey(identifier)));
  const { accepted, refused } = withinLimits(held, candidates);
  for (const identifier of refused) conflicts.push({ kind: 'identifier_refused', profileId: survivor.id, identifier });

  return {
    survivorId: survivor.id,
    mergedIds: group.filter((profile) => profile !== survivor).map((profile) => profile.id),
    newIdentifiers: accepted,
    conflicts,
  };
}

function valuesOf(type: IdentifierType, identifiers: readonly Identifier[]): string[] {
  return [...new Set(identifiers.filter((identifier) => identifier.type === type).map((identifier) => identifier.value))].sort();
}

/** Rank of the strongest incoming identifier a profile holds (lower is stronger). */
function strength(profile: MatchedProfile, incoming: readonly Identifier[]): number {
  const keys = new Set(profile.identifiers.map(identifierKey));
  const hits = incoming.filter((identifier) => keys.has(identifierKey(identifier)));
  return Math.min(...hits.map((identifier) => IDENTIFIER_RULES[identifier.type].priority), Number.MAX_SAFE_INTEGER);
}

function firstExceededType(identifiers: readonly Identifier[]): IdentifierType | undefined {
  const counts = new Map<IdentifierType, Set<string>>();
  for (const identifier of identifiers) {
    const values = counts.get(identifier.type) ?? new Set<string>();
    values.add(identifier.value);
    counts.set(identifier.type, values);
  }
  for (const [type, values] of counts) if (values.size > IDENTIFIER_RULES[type].limit) return type;
  return undefined;
}

function withinLimits(held: readonly Identifier[], candidates: readonly Identifier[]): { accepted: Identifier[]; refused: Identifier[] } {
  const accepted: Identifier[] = [];
  const refused: Identifier[] = [];
  for (const candidate of candidates) {
    if (firstExceededType([...held, ...accepted, candidate])) refused.push(candidate);
    else accepted.push(candidate);
  }
  return { accepted, refused };
}

function dedupe(identifiers: readonly Identifier[]): Identifier[] {
  const seen = new Map<string, Identifier>();
  for (const identifier of identifiers) seen.set(identifierKey(identifier), identifier);
  return [...seen.values()];
}
