import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from '../profiles/profile-reference.js';
import type { Page } from '../profiles/profiles.service.js';
import type { CreateSegmentDto, UpdateSegmentDto } from './dtos/segment.dto.js';
import { EXAMPLE_SEGMENTS } from './examples/example-segments.js';
import { parseSegmentRule, type SegmentRule } from './rules/index.js';
import { SegmentCatalog } from './segment-catalog.js';
import { SegmentPreviewService, type SegmentPreview } from './segment-preview.service.js';
import { SegmentsRepository, type SegmentRow } from './segments.repository.js';

export interface SegmentView extends SegmentRow {
  readonly size: number;
}

/** Segment definitions: the rules are checked here, memberships follow in real time and by back-fill. */
@Injectable()
export class SegmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly segments: SegmentsRepository,
    private readonly catalog: SegmentCatalog,
    private readonly previews: SegmentPreviewService,
  ) {}

  async list(): Promise<SegmentView[]> {
    const rows = await this.segments.listLive(this.dataSource.manager);
    return Promise.all(rows.map(async (row) => ({ ...row, size: await this.segments.memberCount(this.dataSource.manager, row.id) })));
  }

  async get(idOrKey: string): Promise<SegmentView> {
    const row = await this.find(idOrKey);
    return { ...row, size: await this.segments.memberCount(this.dataSource.manager, row.id) };
  }

  async create(dto: CreateSegmentDto): Promise<SegmentView> {
    const rule = checkedRule(dto.rule);
    if (await this.segments.findLive(this.dataSource.manager, dto.key)) throw new ConflictException(`a segment with key "${dto.key}" already exists`);
    const row = await this.segments
      .create(this.dataSource.manager, { key: dto.key, name: dto.name, description: dto.description ?? '', rule: rule.definition })
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === '23505') throw new ConflictException(`a segment with key "${dto.key}" already exists`);
        throw error;
      });
    this.changed();
    return { ...row, size: 0 };
  }

  /** Creates the example segments retailers start with (cart abandoners, recent purchasers, ...) that do not exist yet. */
  async installExamples(): Promise<{ created: string[]; existing: string[] }> {
    const created: string[] = [];
    const existing: string[] = [];
    for (const example of EXAMPLE_SEGMENTS) {
      if (await this.segments.findLive(this.dataSource.manager, example.key)) {
        existing.push(example.key);
        continue;
      }
      await this.create({ key: example.key, name: example.name, description: example.description, rule: example.rule as unknown as Record<string, unknown> });
      created.push(example.key);
    }
    return { created, existing };
  }

  async update(idOrKey: string, dto: UpdateSegmentDto): Promise<SegmentView> {
    const current = await this.find(idOrKey);
    const rule = dto.rule === undefined ? null : checkedRule(dto.rule);
    const ruleChanged = rule !== null && JSON.stringify(rule.definition) !== JSON.stringify(current.rule);
    const row = await this.segments.update(this.dataSource.manager, current.id, {
      name: dto.name ?? current.name,
      description: dto.description ?? current.description,
      rule: rule?.definition ?? current.rule,
      ruleChanged,
    });
    this.changed();
    return { ...row, size: await this.segments.memberCount(this.dataSource.manager, row.id) };
  }

  async remove(idOrKey: string): Promise<void> {
    const row = await this.find(idOrKey);
    await this.segments.softDelete(this.dataSource.manager, row.id);
    this.changed();
  }

  preview(input: unknown): Promise<SegmentPreview> {
    return this.previews.preview(checkedRule(input));
  }

  async members(idOrKey: string, limit: number, cursor: string | undefined): Promise<Page<{ profileId: string; enteredAt: Date }>> {
    const after = decodeCursor(cursor, ['enteredAt', 'profileId'] as const);
    if (after && 'error' in after) throw new BadRequestException(after.error);
    const segment = await this.find(idOrKey);
    const rows = await this.segments.members(this.dataSource.manager, segment.id, limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { data: page, nextCursor: rows.length > limit && last ? encodeCursor({ enteredAt: last.enteredAt.toISOString(), profileId: last.profileId }) : null };
  }

  private async find(idOrKey: string): Promise<SegmentRow> {
    const row = await this.segments.findLive(this.dataSource.manager, idOrKey);
    if (!row) throw new NotFoundException(`no segment with id or key "${idOrKey}"`);
    return row;
  }

  /** New or changed definitions: evaluated from the next event on here; the back-fill runner (any instance) picks the rest up. */
  private changed(): void {
    this.catalog.invalidate();
  }
}

/** The rule, or a 400 whose messages point at each bad part (`rule.all[1].count.op: must be one of ...`). */
function checkedRule(input: unknown): SegmentRule {
  const parsed = parseSegmentRule(input);
  if (!parsed.ok) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: parsed.errors.map((error) => `${error.path}: ${error.message}`) });
  return parsed.rule;
}
