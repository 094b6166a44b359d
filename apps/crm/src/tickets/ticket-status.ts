export const TICKET_STATUSES = ['new', 'open', 'pending', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * The support workflow: work moves a ticket among new, open and pending;
 * solved can be reopened if the customer comes back; closed is final.
 */
const NEXT: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'pending', 'solved', 'closed'],
  open: ['pending', 'solved', 'closed'],
  pending: ['open', 'solved', 'closed'],
  solved: ['open', 'closed'],
  closed: [],
};

export function allowedTransitions(from: TicketStatus): readonly TicketStatus[] {
  return NEXT[from];
}

/** null when the move is allowed (staying put included), otherwise why not and where the ticket may go. */
export function transitionProblem(from: TicketStatus, to: TicketStatus): string | null {
  if (from === to || NEXT[from].includes(to)) return null;
  const allowed = NEXT[from];
  return `a ticket cannot go from ${from} to ${to}; ${allowed.length === 0 ? `${from} is final` : `allowed: ${allowed.join(', ')}`}`;
}

/** When the ticket counts as solved: set on entering solved, kept through closing, cleared when reopened. */
export function solvedAtAfter(from: TicketStatus, to: TicketStatus, solvedAt: Date | null, now: Date): Date | null {
  if (to === 'solved') return from === 'solved' ? solvedAt : now;
  if (to === 'closed') return solvedAt;
  return null;
}
