import { describe, expect, it } from '@jest/globals';
import { activityProblem } from './activity-rules.js';

const linked = { kind: 'call' as const, durationMinutes: 15, contactId: null, companyId: null, dealId: '7f1c2f4e-1b7a-4a39-9d43-2d7e1b0c9a11' };

describe('activityProblem', () => {
  it('accepts an activity linked to any one of contact, company or deal', () => {
    expect(activityProblem(linked)).toBeNull();
    expect(activityProblem({ ...linked, dealId: null, companyId: linked.dealId })).toBeNull();
  });

  it('refuses an activity linked to nothing', () => {
    expect(activityProblem({ ...linked, dealId: null })).toBe('an activity needs at least one of contactId, companyId, dealId');
  });

  it('refuses a duration on an email or a note, and allows none', () => {
    expect(activityProblem({ ...linked, kind: 'note' })).toBe('durationMinutes applies only to calls and meetings, not to notes');
    expect(activityProblem({ ...linked, kind: 'email', durationMinutes: null })).toBeNull();
    expect(activityProblem({ ...linked, kind: 'meeting', durationMinutes: 60 })).toBeNull();
  });
});
