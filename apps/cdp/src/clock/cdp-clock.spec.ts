import { describe, expect, it } from '@jest/globals';
import { loadEnv } from '@cds/service-kit';
import { CdpEnv } from '../config/cdp-env.js';
import { cdpClock } from './cdp-clock.js';
import { systemClock, type Clock } from './clock.js';
import { ControllableClock } from './controllable-clock.js';

describe('CDP_CLOCK', () => {
  it('is system unless set, and only system or controllable', () => {
    expect(loadEnv(CdpEnv, {}).CDP_CLOCK).toBe('system');
    expect(loadEnv(CdpEnv, { CDP_CLOCK: 'controllable' }).CDP_CLOCK).toBe('controllable');
    expect(() => loadEnv(CdpEnv, { CDP_CLOCK: 'fast' })).toThrow('CDP_CLOCK="fast": must be system or controllable');
  });
});

describe('cdpClock', () => {
  it('runs on the system clock by default, with no clock routes', () => {
    expect(cdpClock('system')).toEqual({ clock: systemClock, controllable: null });
  });

  it('runs on a controllable clock, which the clock routes move, when asked', () => {
    const { clock, controllable } = cdpClock('controllable');
    expect(clock).toBeInstanceOf(ControllableClock);
    expect(controllable).toBe(clock);
  });

  it("keeps a test's own clock, whatever CDP_CLOCK says", () => {
    const given: Clock = { now: () => new Date(0) };
    expect(cdpClock('controllable', given)).toEqual({ clock: given, controllable: null });
  });
});
