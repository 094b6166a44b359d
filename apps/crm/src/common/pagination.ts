import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** One page of a list and the cursor of the next (null on the last page). */
export interface Page<T> {
  readonly data: readonly T[];
  readonly nextCursor: string | null;
}

/** Keyset position: the sort key in Postgres's own text form (microseconds included), and the id that breaks ties. */
export interface PagePosition {
  readonly key: string;
  readonly id: string;
}

/** `limit` and `cursor`, which every list endpoint takes. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @Max(200)
  @Min(1)
  @IsInt()
  limit = 50;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.' })
  @IsOptional()
  @MaxLength(500)
  @IsString()
  cursor?: string;
}

export function encodeCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify({ key: position.key, id: position.id })).toString('base64url');
}

/** The position a cursor stands for; null without a cursor; a 400 for one this API did not hand out. */
export function decodeCursor(cursor: string | undefined): PagePosition | null {
  if (cursor === undefined) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { key?: unknown; id?: unknown };
    if (typeof parsed.key === 'string' && typeof parsed.id === 'string' && /^[0-9a-f-]{36}$/i.test(parsed.id)) return { key: parsed.key, id: parsed.id };
  } catch {
    // fall through to the error below
  }
  throw new BadRequestException('cursor is not one this API handed out');
}

/** The page of `limit` rows out of `limit + 1` fetched, with the cursor of the row after it (if any). */
export function toPage<T extends { id: string; sortKey: string }>(rows: readonly T[], limit: number): Page<Omit<T, 'sortKey'>> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(({ sortKey: _sortKey, ...row }) => row),
    nextCursor: rows.length > limit && last ? encodeCursor({ key: last.sortKey, id: last.id }) : null,
  };
}
