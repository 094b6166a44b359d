import { IsIn, IsString, Matches, MinLength } from 'class-validator';
import { getCountries, type CountryCode } from 'libphonenumber-js';
import { ServiceEnv } from '@cds/service-kit';
import type { CdpClockKind } from '../clock/cdp-clock.js';

export class CdpEnv extends ServiceEnv {
  override PORT = 3001;
  override DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:54329/cdp';

  /** Bearer token of the admin API (sources, profiles, erasure). The default is for local development only. */
  @IsString()
  @MinLength(12, { message: 'must be at least 12 characters' })
  CDP_ADMIN_TOKEN = 'dev-cdp-admin-token';

  /** Region assumed for phone numbers written without a country code. */
  @IsIn(getCountries(), { message: 'must be an ISO 3166 country code such as US or GB' })
  CDP_DEFAULT_PHONE_REGION: CountryCode = 'US';

  /** When set, a `dev-web` source with this write key is created at start (local development). */
  @Matches(/^([A-Za-z0-9_-]{12,})?$/, { message: 'must be empty or at least 12 letters, digits, _ or -' })
  CDP_DEV_WRITE_KEY = '';

  /**
   * What this instance does: `collector` serves the collection API, `processor`
   * joins the consumer group that stores and resolves events. Both by default; a
   * deployment scales the two tiers apart by running instances with one role each.
   */
  @Matches(/^(collector|processor)(,(collector|processor))?$/, { message: 'must be collector, processor or collector,processor' })
  CDP_ROLES = 'collector,processor';

  /** Currency of every money insight (lifetime value, predicted value); also assumed for an order that names none. */
  @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code such as EUR or USD' })
  CDP_REPORTING_CURRENCY = 'EUR';

  /**
   * Exchange rates into the reporting currency, `CODE=rate` comma-separated (`USD=0.92,GBP=1.17`):
   * units of the reporting currency per unit of CODE. Revenue in a currency with no rate is kept
   * apart (`unconvertedRevenue`), never guessed into the lifetime value.
   */
  @Matches(/^([A-Z]{3}=\d+(\.\d+)?(,[A-Z]{3}=\d+(\.\d+)?)*)?$/, { message: 'must be CODE=rate pairs separated by commas, e.g. USD=0.92,GBP=1.17' })
  CDP_CURRENCY_RATES = '';

  /**
   * `controllable` lets scenario tests and demos move the CDP's time forward through the admin API
   * (`POST /v1/admin/clock`) instead of waiting for segment windows to pass. Never in production.
   */
  @IsIn(['system', 'controllable'], { message: 'must be system or controllable' })
  CDP_CLOCK: CdpClockKind = 'system';
}
