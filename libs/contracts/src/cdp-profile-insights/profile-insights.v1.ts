import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { SchemaDescription } from '../contract-decorators.js';
import { defineContract } from '../message-contract.js';
import { ProfileIdentifiersV1 } from '../cdp-profiles/profile-identifiers.v1.js';
import { SEGMENT_KEY_MAX_LENGTH, SEGMENT_KEY_MESSAGE, SEGMENT_KEY_PATTERN, SEGMENT_NAME_MAX_LENGTH } from '../cdp-profiles/segment-key.js';
import { TOPICS } from '../topics/topic-definition.js';
import { ProfileInsightValuesV1 } from './profile-insight-values.v1.js';

// Decorators register bottom-up and validation stops at a field's first failure,
// so each field's presence/type check is written last to be reported first.
// Nested objects carry an explicit IsObject: ValidateNested alone lets a missing
// value, or an array of such objects, through.

@SchemaDescription('A segment the profile is in at computedAt.')
export class ProfileInsightSegmentV1 {
  @IsUUID()
  segmentId!: string;

  @Matches(SEGMENT_KEY_PATTERN, { message: SEGMENT_KEY_MESSAGE })
  @MaxLength(SEGMENT_KEY_MAX_LENGTH)
  @IsString()
  key!: string;

  @MaxLength(SEGMENT_NAME_MAX_LENGTH)
  @IsNotEmpty()
  @IsString()
  name!: string;

  @IsISO8601({ strict: true })
  enteredAt!: string;
}

@SchemaDescription('The latest consent decision for one purpose (e.g. `marketing`, `analytics`).')
export class ProfileInsightConsentV1 {
  @MaxLength(100)
  @IsNotEmpty()
  @IsString()
  purpose!: string;

  @IsBoolean()
  granted!: boolean;

  @IsISO8601({ strict: true })
  updatedAt!: string;
}

/** The longest first or last name a snapshot carries: the CRM's limit for a contact's names. */
export const PERSON_NAME_MAX_LENGTH = 200;

/** An optional first or last name: non-empty text of at most PERSON_NAME_MAX_LENGTH characters. */
export function OptionalNamePart(): PropertyDecorator {
  // In the order a decorator stack written above the property applies them (bottom first).
  const rules = [IsOptional(), IsString(), IsNotEmpty(), MaxLength(PERSON_NAME_MAX_LENGTH)];
  return (target, property) => {
    for (const rule of rules) rule(target, property);
  };
}

@SchemaDescription(
  'The person\'s name as the profile\'s traits give it (`firstName` or `first_name`, `lastName` or `last_name`, trimmed). ' +
    'A part the CDP does not know is left out.',
)
export class ProfileNameV1 {
  @OptionalNamePart()
  firstName?: string;

  @OptionalNamePart()
  lastName?: string;
}

/**
 * The latest insight snapshot of one CDP profile: what the CRM and other
 * consumers may know about a person. Identifiers and computed values only, never
 * event content. A consumer keeps the highest `version` per profile and drops
 * anything older; a tombstone (null value) under the profile id means the profile
 * was erased or merged away and everything derived from it must go.
 */
@SchemaDescription(
  'The latest insight snapshot of one CDP profile (identifiers and computed values only, never event content). ' +
    'Keep the highest version per profileId. A tombstone (null value) under a profileId means the profile was erased or merged away.',
)
export class ProfileInsightsV1 {
  @IsIn([1])
  schemaVersion!: 1;

  @IsUUID()
  profileId!: string;

  @SchemaDescription(
    'From one sequence shared by all profiles: strictly increasing per profile, and after a merge the survivor\'s next snapshot is above every version ' +
      'published for the merged-away profiles. Drop a snapshot whose version is not above the one held.',
  )
  @Min(1)
  @IsInt()
  version!: number;

  @IsISO8601({ strict: true })
  computedAt!: string;

  @ValidateNested()
  @Type(() => ProfileIdentifiersV1)
  @IsObject()
  identifiers!: ProfileIdentifiersV1;

  @SchemaDescription(
    'Optional, added within schemaVersion 1 (additive: a snapshot without it is still valid). Left out when the profile has no first or last name ' +
      'trait; a change of name is a change of the snapshot and is published like any other.',
  )
  @ValidateNested()
  @Type(() => ProfileNameV1)
  @IsObject()
  @IsOptional()
  name?: ProfileNameV1;

  @ValidateNested()
  @Type(() => ProfileInsightValuesV1)
  @IsObject()
  insights!: ProfileInsightValuesV1;

  @SchemaDescription('Every segment the profile is in; changes are also published on cdp.segment-membership.v1.')
  @ValidateNested({ each: true })
  @Type(() => ProfileInsightSegmentV1)
  @IsObject({ each: true })
  @ArrayMaxSize(500)
  @IsArray()
  segments!: ProfileInsightSegmentV1[];

  @SchemaDescription('The latest decision per consent purpose.')
  @ValidateNested({ each: true })
  @Type(() => ProfileInsightConsentV1)
  @IsObject({ each: true })
  @ArrayMaxSize(50)
  @IsArray()
  consent!: ProfileInsightConsentV1[];
}

export const profileInsightsV1 = defineContract({
  name: 'cdp.profile-insights',
  schemaVersion: 1,
  topic: TOPICS.cdpProfileInsights,
  valueClass: ProfileInsightsV1,
  // Compacted by this key: the topic keeps each profile's latest snapshot.
  keyOf: (snapshot) => snapshot.profileId,
  key: { description: 'profileId: the topic is compacted by it, keeping the latest snapshot per profile', format: 'uuid' },
});
