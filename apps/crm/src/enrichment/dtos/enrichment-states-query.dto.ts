import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** `GET /internal/v1/enrichment`: larger pages than the rep-facing lists, for the sync's reconciliation. */
export class EnrichmentStatesQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 500 })
  @IsOptional()
  @Type(() => Number)
  @Max(1000)
  @Min(1)
  @IsInt()
  limit = 500;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.' })
  @IsOptional()
  @MaxLength(500)
  @IsString()
  cursor?: string;
}
