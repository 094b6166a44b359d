import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class PageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export class SearchProfilesQueryDto extends PageQueryDto {
  @IsString()
  @Matches(/^[A-Za-z0-9_.$-]{1,100}$/, { message: 'trait must be a trait name (letters, digits, _ . $ -)' })
  trait!: string;

  /** Compared as JSON when it parses as JSON (42, true), else as a string. */
  @IsString()
  @MaxLength(1000)
  value!: string;
}
