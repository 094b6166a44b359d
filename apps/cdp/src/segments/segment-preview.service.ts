import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../clock/clock.js';
import { describeEventNeeds, evaluateSegmentRule, type SegmentRule } from './rules/index.js';
import { SegmentSubjectsRepository } from './segment-subjects.repository.js';

export interface SegmentPreview {
  /** Members among the profiles evaluated, scaled to the whole base when it was sampled. */
  readonly estimatedSize: number;
  readonly exact: boolean;
  readonly evaluated: number;
  readonly population: number;
  readonly sampleMembers: readonly string[];
}

// Up to this many profiles the preview is exact; above, a uniform sample of this size is scaled up.
const PREVIEW_SAMPLE = 5000;
const CHUNK = 500;

/** "How many would this rule hold?" without storing anything. */
@Injectable()
export class SegmentPreviewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly subjects: SegmentSubjectsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async preview(rule: SegmentRule): Promise<SegmentPreview> {
    const manager = this.dataSource.manager;
    const now = this.clock.now();
    const [{ population }] = (await manager.query('SELECT count(*)::int AS population FROM profiles WHERE merged_into IS NULL')) as [{ population: number }];
    const exact = population <= PREVIEW_SAMPLE;
    const ids = ((await manager.query(`SELECT id FROM profiles WHERE merged_into IS NULL ${exact ? '' : 'ORDER BY random()'} LIMIT $1`, [PREVIEW_SAMPLE])) as { id: string }[]).map(
      (row) => row.id,
    );
    const needs = describeEventNeeds(rule);
    const members: string[] = [];
    for (let start = 0; start < ids.length; start += CHUNK) {
      for (const [id, subject] of await this.subjects.load(manager, ids.slice(start, start + CHUNK), needs, now)) {
        if (evaluateSegmentRule(rule, subject, now).member) members.push(id);
      }
    }
    return {
      estimatedSize: exact || ids.length === 0 ? members.length : Math.round((members.length / ids.length) * population),
      exact,
      evaluated: ids.length,
      population,
      sampleMembers: members.slice(0, 20),
    };
  }
}
