import { ServiceEnv } from '@cds/service-kit';

export class CrmEnv extends ServiceEnv {
  override PORT = 3002;
  override DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:54329/crm';
}
