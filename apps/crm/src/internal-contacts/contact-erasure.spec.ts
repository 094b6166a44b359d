import { describe, expect, it } from '@jest/globals';
import { contactChangedV1, parseContractValue } from '@cds/contracts';
import { erasedEmailHash, erasureChange, erasureClosure } from './contact-erasure.js';

const A = '0b8c8f5e-8f3a-4c1e-9a53-1d5c8f0e2a11';
const B = '2d3e4f50-6a7b-4c8d-9e0f-1a2b3c4d5e6f';
const C = '6f1f7a52-2b7e-4a55-9d4e-7d0c1b1e9f01';

describe('erasureChange', () => {
  it('is a valid deletion one version on, carrying none of the person', () => {
    const change = erasureChange(A, 4);
    expect(parseContractValue(contactChangedV1, change)).toMatchObject({ changeType: 'deleted', contactId: A, version: 5 });
    expect(Object.keys(change).sort()).toEqual(['changeId', 'changeType', 'contactId', 'occurredAt', 'schemaVersion', 'version']);
  });
});

describe('erasureClosure', () => {
  it('takes the contacts merged into the requested ones, transitively, once each', async () => {
    const merges: Record<string, string[]> = { [A]: [B], [B]: [C, A.toUpperCase()] };
    const asked: string[][] = [];
    const closure = await erasureClosure([A, A], async (ids) => {
      asked.push([...ids]);
      return ids.flatMap((id) => merges[id] ?? []);
    });
    expect(closure).toEqual([A, B, C].sort());
    expect(asked).toEqual([[A], [B], [C]]);
  });

  it('is just the requested contacts when nothing was merged into them', async () => {
    expect(await erasureClosure([C.toUpperCase()], async () => [])).toEqual([C]);
  });
});

describe('erasedEmailHash', () => {
  it('is the same for an email however it was typed, and does not contain it', () => {
    const hash = erasedEmailHash('Gone@Example.com ');
    expect(hash).toBe(erasedEmailHash('gone@example.com'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toBe(erasedEmailHash('other@example.com'));
  });
});
