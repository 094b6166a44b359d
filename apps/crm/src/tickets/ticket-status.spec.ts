import { describe, expect, it } from '@jest/globals';
import { allowedTransitions, solvedAtAfter, transitionProblem } from './ticket-status.js';

describe('transitionProblem', () => {
  it('lets work move a ticket among new, open and pending, and solve or close it', () => {
    expect(transitionProblem('new', 'open')).toBeNull();
    expect(transitionProblem('open', 'pending')).toBeNull();
    expect(transitionProblem('pending', 'open')).toBeNull();
    expect(transitionProblem('pending', 'solved')).toBeNull();
    expect(transitionProblem('solved', 'closed')).toBeNull();
  });

  it('lets a solved ticket reopen, but not go back to new or pending', () => {
    expect(transitionProblem('solved', 'open')).toBeNull();
    expect(transitionProblem('solved', 'pending')).toBe('a ticket cannot go from solved to pending; allowed: open, closed');
  });

  it('keeps a closed ticket closed, saying that closed is final', () => {
    expect(transitionProblem('closed', 'open')).toBe('a ticket cannot go from closed to open; closed is final');
    expect(allowedTransitions('closed')).toEqual([]);
  });

  it('never sends a ticket back to new, and allows staying put', () => {
    expect(transitionProblem('open', 'new')).toBe('a ticket cannot go from open to new; allowed: pending, solved, closed');
    expect(transitionProblem('closed', 'closed')).toBeNull();
  });
});

describe('solvedAtAfter', () => {
  const earlier = new Date('2026-11-01T10:00:00Z');
  const now = new Date('2026-12-01T10:00:00Z');

  it('stamps the time of solving, keeps it when closing, clears it when reopened', () => {
    expect(solvedAtAfter('open', 'solved', null, now)).toBe(now);
    expect(solvedAtAfter('solved', 'solved', earlier, now)).toBe(earlier);
    expect(solvedAtAfter('solved', 'closed', earlier, now)).toBe(earlier);
    expect(solvedAtAfter('solved', 'open', earlier, now)).toBeNull();
  });
});
