import { describe, expect, it } from '@jest/globals';
import { planStageChanges, stagesProblem, type CurrentStage } from './stage-plan.js';

const current: CurrentStage[] = [
  { id: 'a', name: 'Lead', probability: 0.1, kind: 'open', dealCount: 2 },
  { id: 'b', name: 'Proposal', probability: 0.5, kind: 'open', dealCount: 0 },
  { id: 'c', name: 'Won', probability: 1, kind: 'won', dealCount: 1 },
];

describe('stagesProblem', () => {
  it('wants distinct names, whatever their case, and an open stage for deals to start in', () => {
    expect(stagesProblem([{ name: 'Lead', probability: 0, kind: 'open' }])).toBeNull();
    expect(stagesProblem([])).toMatchObject({ problem: 'invalid' });
    expect(stagesProblem([{ name: 'Lead', probability: 0, kind: 'open' }, { name: ' lead', probability: 0, kind: 'open' }])).toEqual({ problem: 'invalid', message: 'stage names must be distinct: " lead" appears twice' });
    expect(stagesProblem([{ name: 'Won', probability: 1, kind: 'won' }])).toEqual({ problem: 'invalid', message: 'a pipeline needs at least one open stage' });
  });
});

describe('planStageChanges', () => {
  it('renames and reorders kept stages by their place in the list, adds new ones and removes empty missing ones', () => {
    const plan = planStageChanges(current, [
      { id: 'c', name: 'Won', probability: 1, kind: 'won' },
      { name: 'Demo', probability: 0.3, kind: 'open' },
      { id: 'a', name: 'New lead ', probability: 0.15, kind: 'open' },
    ]);
    expect(plan).toEqual({
      updates: [
        { id: 'c', name: 'Won', probability: 1, kind: 'won', position: 0 },
        { id: 'a', name: 'New lead', probability: 0.15, kind: 'open', position: 2 },
      ],
      inserts: [{ name: 'Demo', probability: 0.3, kind: 'open', position: 1 }],
      removals: ['b'],
    });
  });

  it('refuses to remove a stage that still has deals, as a conflict naming it', () => {
    expect(planStageChanges(current, [{ id: 'b', name: 'Proposal', probability: 0.5, kind: 'open' }, { id: 'c', name: 'Won', probability: 1, kind: 'won' }])).toEqual({
      problem: 'conflict',
      message: 'stage "Lead" still has 2 deal(s): move them to another stage before removing it',
    });
  });

  it('refuses to change the kind of a stage with deals, but not of an empty one', () => {
    const keep = current.map(({ dealCount: _count, ...stage }) => stage);
    expect(planStageChanges(current, keep.map((stage) => (stage.id === 'c' ? { ...stage, kind: 'lost' as const } : stage)))).toMatchObject({ problem: 'conflict' });
    expect(planStageChanges(current, [...keep.map((stage) => (stage.id === 'b' ? { ...stage, kind: 'lost' as const } : stage))])).toMatchObject({ removals: [] });
  });

  it('refuses ids of other pipelines and ids listed twice', () => {
    const keep = current.map(({ dealCount: _count, ...stage }) => stage);
    expect(planStageChanges(current, [...keep, { id: 'x', name: 'Elsewhere', probability: 0, kind: 'open' }])).toEqual({ problem: 'invalid', message: 'stage x is not a stage of this pipeline' });
    expect(planStageChanges(current, [...keep, { id: 'a', name: 'Again', probability: 0, kind: 'open' }])).toEqual({ problem: 'invalid', message: 'stage a is listed twice' });
  });
});
