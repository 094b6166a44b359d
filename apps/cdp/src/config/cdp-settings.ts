import type { CountryCode } from 'libphonenumber-js';
import type { CdpEnv } from './cdp-env.js';

export const CDP_SETTINGS = Symbol('CdpSettings');

/** The CDP's own settings, typed, from its validated environment. */
export interface CdpSettings {
  readonly adminToken: string;
  readonly defaultPhoneRegion: CountryCode;
  readonly devWriteKey: string | null;
  readonly roles: ReadonlySet<CdpRole>;
  readonly currency: { readonly reportingCurrency: string; readonly ratesToReporting: Readonly<Record<string, number>> };
}

export type CdpRole = 'collector' | 'processor';

export function cdpSettingsFrom(env: CdpEnv): CdpSettings {
  return {
    adminToken: env.CDP_ADMIN_TOKEN,
    defaultPhoneRegion: env.CDP_DEFAULT_PHONE_REGION,
    devWriteKey: env.CDP_DEV_WRITE_KEY || null,
    roles: new Set(env.CDP_ROLES.split(',') as CdpRole[]),
    currency: {
      reportingCurrency: env.CDP_REPORTING_CURRENCY,
      ratesToReporting: Object.fromEntries(env.CDP_CURRENCY_RATES.split(',').filter(Boolean).map((pair) => [pair.slice(0, 3), Number(pair.slice(4))])),
    },
  };
}
