import { ProfileIdentifiersV1 } from '@cds/contracts';
import type { Identifier } from '../identity/identifier.js';

/** The identifiers a downstream consumer can match on, as the contracts carry them. */
export function profileIdentifiers(identifiers: readonly Identifier[]): ProfileIdentifiersV1 {
  const of = (type: Identifier['type']): string[] => identifiers.filter((identifier) => identifier.type === type).map((identifier) => identifier.value);
  return Object.assign(new ProfileIdentifiersV1(), { userIds: of('user_id'), emails: of('email'), crmContactIds: of('crm_contact_id') });
}
