import type { ActivityKind } from './dtos/activity.dto.js';

/** What an activity must satisfy, whole (after a PATCH is merged in); null when it does. */
export function activityProblem(activity: {
  readonly kind: ActivityKind;
  readonly durationMinutes: number | null;
  readonly contactId: string | null;
  readonly companyId: string | null;
  readonly dealId: string | null;
}): string | null {
  if (!activity.contactId && !activity.companyId && !activity.dealId) return 'an activity needs at least one of contactId, companyId, dealId';
  if (activity.durationMinutes !== null && activity.kind !== 'call' && activity.kind !== 'meeting') return `durationMinutes applies only to calls and meetings, not to ${activity.kind}s`;
  return null;
}
