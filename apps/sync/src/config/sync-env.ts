import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { ServiceEnv } from '@cds/service-kit';

export const SYNC_MODES = ['update-only', 'upsert'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];
export const SYNC_ERASURE_ACTIONS = ['clear-enrichment', 'delete-contact'] as const;
export type SyncErasureAction = (typeof SYNC_ERASURE_ACTIONS)[number];

export class SyncEnv extends ServiceEnv {
  override PORT = 3003;
  override DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:54329/sync';

  /** Base URL of the CRM whose internal enrichment endpoint the bridge calls. */
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'must be an http:// or https:// URL' })
  CRM_URL = 'http://127.0.0.1:3002';

  /** The CRM's `sync` key (CRM_SYNC_API_KEY on the CRM side). */
  @MinLength(8, { message: 'must be at least 8 characters' })
  @IsString()
  CRM_SYNC_API_KEY = 'dev-crm-sync-key-0001';

  /** `update-only`: enrich existing CRM contacts only. `upsert`: also create the contact of a known customer (a profile with an email) that matches none. */
  @IsIn(SYNC_MODES, { message: `must be one of ${SYNC_MODES.join(', ')}` })
  SYNC_MODE: SyncMode = 'update-only';

  /** What a CDP erasure does to the linked CRM contacts: `clear-enrichment` (they stay, without CDP data) or `delete-contact` (erased in the CRM). */
  @IsIn(SYNC_ERASURE_ACTIONS, { message: `must be one of ${SYNC_ERASURE_ACTIONS.join(', ')}` })
  SYNC_ERASURE_ACTION: SyncErasureAction = 'clear-enrichment';

  /** Bearer token of the operators' endpoints (GET /v1/sync-log). */
  @MinLength(12, { message: 'must be at least 12 characters' })
  @IsString()
  SYNC_ADMIN_TOKEN = 'dev-sync-admin-token';

  /** How long sync-log rows are kept, in hours (default a week). */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value))
  @Max(24 * 365)
  @Min(1)
  @IsInt({ message: 'must be a whole number of hours' })
  SYNC_LOG_RETENTION_HOURS = 168;
}
