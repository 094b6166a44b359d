import { IsIn, IsString, Matches, MinLength } from 'class-validator';
import { ServiceEnv } from '@cds/service-kit';

export const SYNC_MODES = ['update-only', 'upsert'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

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

  /** `update-only`: enrich existing CRM contacts only. `upsert` (create missing contacts) is not implemented yet. */
  @IsIn(SYNC_MODES, { message: `must be one of ${SYNC_MODES.join(', ')}` })
  SYNC_MODE: SyncMode = 'update-only';
}
