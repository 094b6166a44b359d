import { BadRequestException } from '@nestjs/common';

export interface Page<T> {
  readonly data: readonly T[];
  readonly nextCursor: string | null;
}

/** The page of `limit` rows out of `limit + 1` fetched, with the cursor of the row after it (if any). */
export function toPage<T extends { id: string; sortKey: string }>(rows: readonly T[], limit: number): Page<Omit<T, 'sortKey'>> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(({ sortKey: _sortKey, ...row }) => row),
    nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify({ key: last.sortKey, id: last.id })).toString('base64url') : null,
  };
}

export function decodeCursor(cursor: string | undefined): { key: string; id: string } | null {
  if (cursor === undefined) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { key?: unknown; id?: unknown };
    if (typeof parsed.key === 'string' && typeof parsed.id === 'string' && /^[0-9a-f-]{36}$/i.test(parsed.id)) return { key: parsed.key, id: parsed.id };
  } catch {
    // fall through to the error below
  }
  throw new BadRequestException('cursor is not one this API handed out');
}
