import { ArrayMaxSize, IsArray, IsEmail, IsString, IsUUID, MaxLength } from 'class-validator';
import { SchemaDescription } from '../contract-decorators.js';

/** What a consumer needs to find its own record for a CDP profile (never event content). */
@SchemaDescription('What a consumer needs to find its own record for a CDP profile (never event content).')
export class ProfileIdentifiersV1 {
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(256, { each: true })
  userIds!: string[];

  @IsArray()
  @ArrayMaxSize(10)
  @IsEmail({}, { each: true })
  emails!: string[];

  @IsArray()
  @ArrayMaxSize(10)
  @IsUUID('all', { each: true })
  crmContactIds!: string[];
}
