export const STAGE_KINDS = ['open', 'won', 'lost'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

export interface StageSpec {
  readonly name: string;
  readonly probability: number;
  readonly kind: StageKind;
}

export interface CurrentStage extends StageSpec {
  readonly id: string;
  /** Deals in the stage, soft-deleted ones included: a restore puts them back in it. */
  readonly dealCount: number;
}

export interface DesiredStage extends StageSpec {
  /** Absent for a new stage. */
  readonly id?: string | undefined;
}

export interface StagePlan {
  readonly updates: readonly (StageSpec & { id: string; position: number })[];
  readonly inserts: readonly (StageSpec & { position: number })[];
  readonly removals: readonly string[];
}

export type StageProblem = { readonly problem: 'invalid' | 'conflict'; readonly message: string };

/** A pipeline's stages, in order: distinct names and at least one open stage, where deals start. */
export function stagesProblem(stages: readonly StageSpec[]): StageProblem | null {
  if (stages.length === 0) return { problem: 'invalid', message: 'a pipeline needs at least one stage' };
  const seen = new Set<string>();
  for (const stage of stages) {
    const key = stage.name.trim().toLowerCase();
    if (seen.has(key)) return { problem: 'invalid', message: `stage names must be distinct: "${stage.name}" appears twice` };
    seen.add(key);
  }
  if (!stages.some((stage) => stage.kind === 'open')) return { problem: 'invalid', message: 'a pipeline needs at least one open stage' };
  return null;
}

/**
 * Turns the desired ordered list of stages into updates, inserts and removals.
 * A stage that still holds deals can be neither removed nor given another kind
 * (its deals' closed state would silently stop matching it).
 */
export function planStageChanges(current: readonly CurrentStage[], desired: readonly DesiredStage[]): StagePlan | StageProblem {
  const problem = stagesProblem(desired);
  if (problem) return problem;
  const byId = new Map(current.map((stage) => [stage.id, stage]));
  const kept = new Set<string>();
  const updates: (StageSpec & { id: string; position: number })[] = [];
  const inserts: (StageSpec & { position: number })[] = [];
  for (const [position, stage] of desired.entries()) {
    const spec = { name: stage.name.trim(), probability: stage.probability, kind: stage.kind, position };
    if (stage.id === undefined) {
      inserts.push(spec);
      continue;
    }
    const existing = byId.get(stage.id);
    if (!existing) return { problem: 'invalid', message: `stage ${stage.id} is not a stage of this pipeline` };
    if (kept.has(stage.id)) return { problem: 'invalid', message: `stage ${stage.id} is listed twice` };
    if (existing.kind !== stage.kind && existing.dealCount > 0) {
      return { problem: 'conflict', message: `stage "${existing.name}" still has ${existing.dealCount} deal(s): move them before changing its kind` };
    }
    kept.add(stage.id);
    updates.push({ id: stage.id, ...spec });
  }
  const removed = current.filter((stage) => !kept.has(stage.id));
  const occupied = removed.find((stage) => stage.dealCount > 0);
  if (occupied) return { problem: 'conflict', message: `stage "${occupied.name}" still has ${occupied.dealCount} deal(s): move them to another stage before removing it` };
  return { updates, inserts, removals: removed.map((stage) => stage.id) };
}

export function isStageProblem(result: StagePlan | StageProblem): result is StageProblem {
  return 'problem' in result;
}
