export const DUPLICATE_REASONS = ['email', 'phone', 'name_and_company'] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];

export interface MatchableContact {
  readonly id: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly companyId: string | null;
  readonly companyName: string | null;
}

export interface DuplicateGroup {
  readonly reason: DuplicateReason;
  /** The normalised value the contacts share. */
  readonly key: string;
  /** In the order the contacts were given. */
  readonly contactIds: readonly string[];
}

/** Shortest phone (in digits) compared at all: shorter ones are extensions or typos, and would match by chance. */
const MIN_PHONE_DIGITS = 7;
const PHONE_DIGITS_COMPARED = 10;

/** Lower case, trimmed, without a "+tag" in the local part (ana+news@x.com is ana@x.com's mailbox). */
export function emailKey(email: string | null): string | null {
  const trimmed = email?.trim().toLowerCase();
  if (!trimmed) return null;
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return trimmed;
  return `${trimmed.slice(0, at).replace(/\+.*$/, '')}${trimmed.slice(at)}`;
}

/** Digits only, the last ten: "+44 20 7946 0958" and "020 7946 0958" are one number. */
export function phoneKey(phone: string | null): string | null {
  const digits = phone?.replace(/\D/g, '') ?? '';
  return digits.length >= MIN_PHONE_DIGITS ? digits.slice(-PHONE_DIGITS_COMPARED) : null;
}

/** First and last name (case-insensitive, both needed) at the same company: its id, or else its name. */
export function nameAndCompanyKey(contact: MatchableContact): string | null {
  const first = contact.firstName?.trim().toLowerCase();
  const last = contact.lastName?.trim().toLowerCase();
  const company = contact.companyId ?? contact.companyName?.trim().toLowerCase();
  return first && last && company ? `${first} ${last} @ ${company}` : null;
}

const KEYS: Record<DuplicateReason, (contact: MatchableContact) => string | null> = {
  email: (contact) => emailKey(contact.email),
  phone: (contact) => phoneKey(contact.phone),
  name_and_company: nameAndCompanyKey,
};

/** Groups of two or more contacts sharing a key, per reason; a pair alike in several ways is in a group for each. */
export function findDuplicateGroups(contacts: readonly MatchableContact[]): DuplicateGroup[] {
  return DUPLICATE_REASONS.flatMap((reason) => {
    const byKey = new Map<string, string[]>();
    for (const contact of contacts) {
      const key = KEYS[reason](contact);
      if (key !== null) byKey.set(key, [...(byKey.get(key) ?? []), contact.id]);
    }
    return [...byKey]
      .filter(([, ids]) => ids.length > 1)
      .map(([key, contactIds]) => ({ reason, key, contactIds }))
      .sort((a, b) => a.key.localeCompare(b.key));
  });
}

export const FILLABLE_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'companyName', 'owner'] as const;
export type FillableField = (typeof FILLABLE_FIELDS)[number];

/** The survivor's empty fields that the merged contact has a value for, with that value. */
export function fieldsToFill(survivor: Readonly<Record<FillableField, string | null>>, merged: Readonly<Record<FillableField, string | null>>): Partial<Record<FillableField, string>> {
  const filled: Partial<Record<FillableField, string>> = {};
  for (const field of FILLABLE_FIELDS) {
    const value = merged[field];
    if (!survivor[field]?.trim() && value?.trim()) filled[field] = value;
  }
  return filled;
}
