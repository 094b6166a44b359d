import { describe, expect, it } from '@jest/globals';
import type { Identifier } from '../identity/identifier.js';
import { planResolution } from '../identity/identity-resolution.js';
import { BatchIdentityGraph, type BatchProfile } from './batch-identity-graph.js';

const email = (value: string): Identifier => ({ type: 'email', value });
const anonymous = (value: string): Identifier => ({ type: 'anonymous_id', value });
const profile = (id: string, identifiers: Identifier[], createdAt = '2026-01-01T00:00:00.000Z'): BatchProfile => ({ id, createdAt: new Date(createdAt), identifiers, traits: {}, consent: {} });

describe('BatchIdentityGraph', () => {
  it('finds the owners of identifiers, each once', () => {
    const graph = new BatchIdentityGraph([profile('p1', [email('a@example.com'), anonymous('a1')]), profile('p2', [anonymous('b1')])]);
    expect(graph.matched([email('a@example.com'), anonymous('a1')]).map((matched) => matched.id)).toEqual(['p1']);
    expect(graph.matched([anonymous('nobody')])).toEqual([]);
  });

  it('gives matches oldest first: in the order profiles were added, whatever their ids', () => {
    const graph = new BatchIdentityGraph([profile('z-old', [anonymous('a1')])]);
    graph.add(profile('a-new', [anonymous('b1')]));
    expect(graph.matched([anonymous('b1'), anonymous('a1')]).map((matched) => matched.id)).toEqual(['z-old', 'a-new']);
  });

  it('makes identifiers attached during the batch find their profile for the next events', () => {
    const graph = new BatchIdentityGraph([profile('p1', [anonymous('a1')])]);
    graph.attach('p1', [email('late@example.com')]);
    expect(graph.matched([email('late@example.com')]).map((matched) => matched.id)).toEqual(['p1']);
    expect(graph.get('p1').identifiers).toEqual([anonymous('a1'), email('late@example.com')]);
  });

  it('lets two profiles created within one millisecond merge into the one created first', () => {
    const sameInstant = '2026-03-01T10:00:00.000Z';
    const graph = new BatchIdentityGraph([]);
    graph.add(profile('ffff-first', [anonymous('a1')], sameInstant));
    graph.add(profile('0000-second', [email('x@example.com')], sameInstant));
    const plan = planResolution([anonymous('a1'), email('x@example.com')], graph.matched([anonymous('a1'), email('x@example.com')]));
    expect(plan).toMatchObject({ survivorId: 'ffff-first', mergedIds: ['0000-second'] });
  });

  it('refuses a profile it was not loaded with', () => {
    expect(() => new BatchIdentityGraph([]).get('missing')).toThrow('profile missing is not part of this batch');
  });
});
