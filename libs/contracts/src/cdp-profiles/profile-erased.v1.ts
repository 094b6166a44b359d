import { Type } from 'class-transformer';
import { IsArray, IsIn, IsISO8601, IsObject, IsUUID, ValidateNested } from 'class-validator';
import { SchemaDescription } from '../contract-decorators.js';
import { defineContract } from '../message-contract.js';
import { TOPICS } from '../topics/topic-definition.js';
import { ProfileIdentifiersV1 } from './profile-identifiers.v1.js';

/**
 * A profile erased on request (right to be forgotten). Downstream systems must
 * delete what they derived from it; the identifiers let them find it.
 */
@SchemaDescription('A profile erased on request (right to be forgotten). Downstream systems must delete what they derived from it; the identifiers let them find it.')
export class ProfileErasedV1 {
  @IsIn([1])
  schemaVersion!: 1;

  @IsUUID()
  erasureId!: string;

  @IsUUID()
  profileId!: string;

  @SchemaDescription('Profiles that had been merged into it: their ids are gone too.')
  @IsArray()
  @IsUUID('all', { each: true })
  mergedProfileIds!: string[];

  @ValidateNested()
  @Type(() => ProfileIdentifiersV1)
  @IsObject()
  identifiers!: ProfileIdentifiersV1;

  @IsISO8601({ strict: true })
  requestedAt!: string;
}

export const profileErasedV1 = defineContract({
  name: 'cdp.profile-erased',
  schemaVersion: 1,
  topic: TOPICS.cdpProfileErasures,
  valueClass: ProfileErasedV1,
  keyOf: (erasure) => erasure.profileId,
  key: { description: 'profileId', format: 'uuid' },
});
