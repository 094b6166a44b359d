import { IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class CreateSegmentDto {
  @Matches(/^[a-z0-9][a-z0-9-]{0,99}$/, { message: 'key must be lower-case letters, digits and dashes (at most 100), e.g. "cart-abandoners"' })
  @IsString()
  key!: string;

  @MaxLength(200)
  @IsNotEmpty()
  @IsString()
  name!: string;

  @IsOptional()
  @MaxLength(2000)
  @IsString()
  description?: string;

  /** The rule, in the segment rule language (see the README); checked in full by the service. */
  @IsObject({ message: 'rule must be a JSON object such as {"all": [...]}' })
  rule!: Record<string, unknown>;
}

export class UpdateSegmentDto {
  @IsOptional()
  @MaxLength(200)
  @IsNotEmpty()
  @IsString()
  name?: string;

  @IsOptional()
  @MaxLength(2000)
  @IsString()
  description?: string;

  @IsOptional()
  @IsObject({ message: 'rule must be a JSON object such as {"all": [...]}' })
  rule?: Record<string, unknown>;
}

export class PreviewSegmentDto {
  @IsObject({ message: 'rule must be a JSON object such as {"all": [...]}' })
  rule!: Record<string, unknown>;
}
