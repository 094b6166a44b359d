import { ServiceEnv } from '@cds/service-kit';

export class SyncEnv extends ServiceEnv {
  override PORT = 3003;
  override DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:54329/sync';
}
