import type { CrmEnv } from './crm-env.js';

export const CRM_SETTINGS = Symbol('CrmSettings');

export interface CrmSettings {
  readonly adminApiKey: string;
  readonly syncApiKey: string;
}

export function crmSettingsFrom(env: CrmEnv): CrmSettings {
  return { adminApiKey: env.CRM_ADMIN_API_KEY, syncApiKey: env.CRM_SYNC_API_KEY };
}
