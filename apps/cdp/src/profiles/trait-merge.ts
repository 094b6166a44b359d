export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One trait's value with when it was observed (event time) and which source said it. */
export interface TraitEntry {
  readonly value: JsonValue;
  readonly observedAt: string;
  readonly source: string;
}

export type TraitState = Readonly<Record<string, TraitEntry>>;

export interface TraitMergeResult {
  readonly state: TraitState;
  readonly changed: readonly string[];
}

/**
 * Applies observed traits trait by trait, by event time: a late-arriving older
 * event never overwrites what a newer one said. On a tie the incoming value wins,
 * so replaying the same event changes nothing.
 */
export function applyTraits(current: TraitState, traits: Readonly<Record<string, JsonValue>>, observedAt: string, source: string): TraitMergeResult {
  const next: Record<string, TraitEntry> = { ...current };
  const changed: string[] = [];
  let touched = false;
  for (const [name, value] of Object.entries(traits)) {
    const held = current[name];
    if (held && Date.parse(held.observedAt) > Date.parse(observedAt)) continue;
    if (held && held.observedAt === observedAt && held.source === source && sameJson(held.value, value)) continue;
    next[name] = { value, observedAt, source };
    touched = true;
    if (!held || !sameJson(held.value, value)) changed.push(name);
  }
  // The same state object when nothing was written, so callers can skip saving.
  return { state: touched ? next : current, changed };
}

/** Combines two profiles' traits at a merge: for each trait the newer observation wins. */
export function mergeTraitStates(survivor: TraitState, merged: TraitState): TraitState {
  const result: Record<string, TraitEntry> = { ...survivor };
  for (const [name, entry] of Object.entries(merged)) {
    const held = result[name];
    if (!held || Date.parse(entry.observedAt) > Date.parse(held.observedAt)) result[name] = entry;
  }
  return result;
}

/** Plain `{ name: value }` view of a trait state. */
export function traitValues(state: TraitState): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(state).map(([name, entry]) => [name, entry.value]));
}

function sameJson(a: JsonValue, b: JsonValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
