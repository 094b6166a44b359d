import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsObject, IsUUID, Min, ValidateNested } from 'class-validator';
import { SchemaDescription } from '../contract-decorators.js';
import { defineContract } from '../message-contract.js';
import { TOPICS } from '../topics/topic-definition.js';
import { ProfileIdentifiersV1 } from './profile-identifiers.v1.js';

/** Profiles that turned out to be one person: the merged ones now live on as the survivor. */
@SchemaDescription('Profiles that turned out to be one person: the merged ones now live on as the survivor.')
export class ProfileMergedV1 {
  @IsIn([1])
  schemaVersion!: 1;

  @IsUUID()
  mergeId!: string;

  @IsUUID()
  survivorProfileId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @IsUUID('all', { each: true })
  mergedProfileIds!: string[];

  @SchemaDescription("The survivor's identifiers after the merge.")
  @ValidateNested()
  @Type(() => ProfileIdentifiersV1)
  @IsObject()
  identifiers!: ProfileIdentifiersV1;

  @SchemaDescription("The version of the survivor's cdp.profile-insights.v1 snapshot published with the merge: above every version its merged-away profiles had.")
  @IsInt()
  @Min(1)
  survivorVersion!: number;

  @IsISO8601({ strict: true })
  occurredAt!: string;
}

export const profileMergedV1 = defineContract({
  name: 'cdp.profile-merged',
  schemaVersion: 1,
  topic: TOPICS.cdpProfileMerges,
  valueClass: ProfileMergedV1,
  keyOf: (merge) => merge.survivorProfileId,
  key: { description: 'survivorProfileId', format: 'uuid' },
});
