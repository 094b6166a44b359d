import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

export class ListDuplicatesQueryDto {
  /** Most groups returned. */
  @IsOptional()
  @Type(() => Number)
  @Max(1000)
  @Min(1)
  @IsInt()
  limit = 100;
}

export class MergeContactDto {
  /** The contact folded into the survivor (in the path) and then deleted. */
  @IsUUID(undefined, { message: 'mergedContactId must be a contact id (UUID)' })
  mergedContactId!: string;
}
