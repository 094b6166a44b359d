import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { NotNullWhenGiven } from './not-null-when-given.js';
import { STAGE_KINDS, type StageKind } from '../stage-plan.js';

const trimmed = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class StageDto {
  /** An existing stage (PATCH only); absent for a new one. */
  @IsOptional()
  @IsUUID('all', { message: 'stage id must be the id of one of the pipeline stages' })
  id?: string;

  @Transform(trimmed)
  @MaxLength(100)
  @IsNotEmpty()
  @IsString()
  name!: string;

  @Max(1, { message: 'probability must be between 0 and 1' })
  @Min(0, { message: 'probability must be between 0 and 1' })
  @IsNumber({ maxDecimalPlaces: 3 }, { message: 'probability must be a number between 0 and 1 with at most 3 decimals' })
  probability!: number;

  @NotNullWhenGiven()
  @IsIn(STAGE_KINDS, { message: `kind must be one of ${STAGE_KINDS.join(', ')}` })
  kind: StageKind = 'open';
}

export class CreatePipelineDto {
  @Transform(trimmed)
  @MaxLength(100)
  @IsNotEmpty()
  @IsString()
  name!: string;

  @Type(() => StageDto)
  @ValidateNested({ each: true })
  @ArrayMaxSize(50)
  @ArrayMinSize(1, { message: 'a pipeline needs at least one stage' })
  @IsArray()
  stages!: StageDto[];
}

/** `stages`, when given, is the whole new ordered list: listed ids are kept (renamed, reordered), new entries added, missing ones removed. */
export class UpdatePipelineDto {
  @NotNullWhenGiven()
  @Transform(trimmed)
  @MaxLength(100)
  @IsNotEmpty()
  @IsString()
  name?: string;

  @NotNullWhenGiven()
  @Type(() => StageDto)
  @ValidateNested({ each: true })
  @ArrayMaxSize(50)
  @ArrayMinSize(1, { message: 'a pipeline needs at least one stage' })
  @IsArray()
  stages?: StageDto[];
}
