import { IsIn, IsString, Matches, MaxLength } from 'class-validator';

export const SOURCE_CHANNELS = ['web', 'app', 'email', 'pos', 'crm', 'server', 'import'] as const;
export type SourceChannel = (typeof SOURCE_CHANNELS)[number];

export class CreateSourceDto {
  @IsString()
  @MaxLength(100)
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'name must be lower-case letters, digits and dashes, e.g. "web-shop"' })
  name!: string;

  @IsIn(SOURCE_CHANNELS)
  channel!: SourceChannel;
}
