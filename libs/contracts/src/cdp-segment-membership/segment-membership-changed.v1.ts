import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsObject, IsString, IsUUID, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { SchemaDescription } from '../contract-decorators.js';
import { defineContract } from '../message-contract.js';
import { ProfileIdentifiersV1 } from '../cdp-profiles/profile-identifiers.v1.js';
import { SEGMENT_KEY_MAX_LENGTH, SEGMENT_KEY_MESSAGE, SEGMENT_KEY_PATTERN, SEGMENT_NAME_MAX_LENGTH } from '../cdp-profiles/segment-key.js';
import { TOPICS } from '../topics/topic-definition.js';

export const SEGMENT_MEMBERSHIP_CHANGES = ['entered', 'exited'] as const;
export type SegmentMembershipChange = (typeof SEGMENT_MEMBERSHIP_CHANGES)[number];

// Decorators register bottom-up and validation stops at a field's first failure,
// so each field's presence/type check is written last to be reported first.

/**
 * A profile entered or left a segment. Published together with the insights
 * snapshot that shows the change (`profileVersion`), so a consumer can act on the
 * change (start a campaign) and still converge on the snapshot.
 */
@SchemaDescription('A profile entered or exited a segment, as of the insights snapshot with version profileVersion.')
export class SegmentMembershipChangedV1 {
  @IsIn([1])
  schemaVersion!: 1;

  @IsUUID()
  profileId!: string;

  @ValidateNested()
  @Type(() => ProfileIdentifiersV1)
  @IsObject()
  identifiers!: ProfileIdentifiersV1;

  @IsUUID()
  segmentId!: string;

  @Matches(SEGMENT_KEY_PATTERN, { message: SEGMENT_KEY_MESSAGE })
  @MaxLength(SEGMENT_KEY_MAX_LENGTH)
  @IsString()
  segmentKey!: string;

  @MaxLength(SEGMENT_NAME_MAX_LENGTH)
  @IsNotEmpty()
  @IsString()
  segmentName!: string;

  @IsIn(SEGMENT_MEMBERSHIP_CHANGES)
  change!: SegmentMembershipChange;

  @IsISO8601({ strict: true })
  occurredAt!: string;

  @SchemaDescription('The version of the cdp.profile-insights.v1 snapshot this change belongs to (the same sequence as that topic\'s version).')
  @Min(1)
  @IsInt()
  profileVersion!: number;
}

export const segmentMembershipChangedV1 = defineContract({
  name: 'cdp.segment-membership-changed',
  schemaVersion: 1,
  topic: TOPICS.cdpSegmentMembership,
  valueClass: SegmentMembershipChangedV1,
  // Same key as the insights topic: one profile's changes stay in order.
  keyOf: (change) => change.profileId,
  key: { description: 'profileId, so the changes of one profile stay in order', format: 'uuid' },
});
