import { systemClock, type Clock } from './clock.js';
import { ControllableClock } from './controllable-clock.js';

export type CdpClockKind = 'system' | 'controllable';

/**
 * The clock a CDP instance runs on: the one a test hands in, else the system
 * clock, or a controllable one for scenario tests and demos. `controllable` is set
 * only when the admin clock routes must exist.
 */
export function cdpClock(kind: CdpClockKind, given?: Clock): { clock: Clock; controllable: ControllableClock | null } {
  if (given) return { clock: given, controllable: null };
  if (kind === 'controllable') {
    const clock = new ControllableClock();
    return { clock, controllable: clock };
  }
  return { clock: systemClock, controllable: null };
}
