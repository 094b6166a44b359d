import { MinLength, IsString } from 'class-validator';
import { ServiceEnv } from '@cds/service-kit';

export class CrmEnv extends ServiceEnv {
  override PORT = 3002;
  override DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:54329/crm';

  /** An admin API key created at start if missing. The default is for local development only. */
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  CRM_ADMIN_API_KEY = 'dev-crm-admin-key-0001';

  /** The key of the sync bridge (role `sync`: the internal enrichment endpoint only), created at start if missing. */
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  CRM_SYNC_API_KEY = 'dev-crm-sync-key-0001';
}
