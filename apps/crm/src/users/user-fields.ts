/** Roles a person (an owner of records) has in the CRM; API keys carry the same names. */
export const USER_ROLES = ['admin', 'sales_rep', 'read_only'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface UserFields {
  readonly email?: string;
  readonly name?: string;
  readonly role?: UserRole;
}

/** One user per address, whatever the case or the stray spaces it was typed with. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Names are shown in owner pickers: no leading, trailing or doubled spaces. */
export function normalizeName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

export function normalizeUserFields(fields: UserFields): UserFields {
  return {
    ...(fields.email !== undefined ? { email: normalizeEmail(fields.email) } : {}),
    ...(fields.name !== undefined ? { name: normalizeName(fields.name) } : {}),
    ...(fields.role !== undefined ? { role: fields.role } : {}),
  };
}

/** The requested fields that differ from the stored ones: what an update really changes (and audits). */
export function changedUserFields(current: Required<UserFields>, requested: UserFields): UserFields {
  return Object.fromEntries(Object.entries(normalizeUserFields(requested)).filter(([name, value]) => current[name as keyof UserFields] !== value)) as UserFields;
}
