import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class PipelineReportQueryDto {
  /** Defaults to the first pipeline (the seeded "Sales"). */
  @IsOptional()
  @IsUUID('all', { message: 'pipelineId must be a pipeline id' })
  pipelineId?: string;
}

/** Inclusive dates; by default the 30 days ending today (UTC). */
export class WinRateQueryDto {
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be a date such as 2026-01-01' })
  @Matches(DATE, { message: 'from must be a date such as 2026-01-01' })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be a date such as 2026-01-31' })
  @Matches(DATE, { message: 'to must be a date such as 2026-01-31' })
  to?: string;
}

export class DealsClosingQueryDto {
  /** Defaults to the current month (UTC). */
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be a month such as 2026-03' })
  month?: string;
}

export class TopContactsQueryDto {
  @IsOptional()
  @Type(() => Number)
  @Max(100)
  @Min(1)
  @IsInt()
  limit = 10;
}
