import { ServiceEnv } from '@cds/service-kit';

export class CdpEnv extends ServiceEnv {
  override PORT = 3001;
  override DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:54329/cdp';
}
