/** Keyset position: the sort key as Postgres's own text form, and the id that breaks ties. */
export interface PagePosition {
  readonly key: string;
  readonly id: string;
}

export function encodeCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify({ key: position.key, id: position.id })).toString('base64url');
}

/** The position a cursor stands for, or null when it is not one this API handed out. */
export function decodeCursor(cursor: string): PagePosition | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { key?: unknown; id?: unknown };
    if (typeof parsed.key === 'string' && typeof parsed.id === 'string' && /^[0-9a-f-]{36}$/i.test(parsed.id)) return { key: parsed.key, id: parsed.id };
  } catch {
    // not JSON: the null below
  }
  return null;
}
