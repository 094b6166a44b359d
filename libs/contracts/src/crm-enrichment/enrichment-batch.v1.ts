import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEmail, IsInt, IsISO8601, IsNumber, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { RfmScoreV1 } from '../cdp-profile-insights/profile-insight-values.v1.js';

/** One segment the customer is in, as the CRM shows it. */
export class EnrichmentSegmentV1 {
  @MaxLength(100)
  @IsString()
  key!: string;

  @MaxLength(200)
  @IsString()
  name!: string;

  @IsISO8601({ strict: true })
  enteredAt!: string;
}

export class EnrichmentConsentV1 {
  @MaxLength(100)
  @IsString()
  purpose!: string;

  @IsBoolean()
  granted!: boolean;
}

/** The read-only block a CRM contact carries: computed CDP insights, never events. */
export class ContactEnrichmentV1 {
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency!: string;

  @Min(0)
  @IsNumber()
  lifetimeValue!: number;

  @IsOptional()
  @Min(0)
  @IsNumber()
  predictedLifetimeValue?: number | null;

  @Min(0)
  @IsInt()
  orderCount!: number;

  @IsOptional()
  @Min(0)
  @IsNumber()
  averageOrderValue?: number | null;

  @IsOptional()
  @IsISO8601({ strict: true })
  lastSeenAt?: string | null;

  @IsOptional()
  @Max(1)
  @Min(0)
  @IsNumber()
  churnRisk?: number | null;

  @IsOptional()
  @ValidateNested()
  @Type(() => RfmScoreV1)
  @IsObject()
  rfm?: RfmScoreV1 | null;

  @ValidateNested({ each: true })
  @Type(() => EnrichmentSegmentV1)
  @ArrayMaxSize(500)
  @IsArray()
  segments!: EnrichmentSegmentV1[];

  @ValidateNested({ each: true })
  @Type(() => EnrichmentConsentV1)
  @ArrayMaxSize(50)
  @IsArray()
  consent!: EnrichmentConsentV1[];
}

/**
 * One contact's enrichment as the sync bridge sends it. `version` is the CDP
 * profile's insights version: the CRM applies a change only if it is newer than
 * what it holds, so redelivery and reordering are harmless. A null enrichment
 * clears the block (erasure).
 */
export class EnrichmentUpdateV1 {
  @ValidateIf((update: EnrichmentUpdateV1) => update.email === undefined)
  @IsUUID('all', { message: 'contactId (or email) must name the contact' })
  contactId?: string;

  @IsOptional()
  @MaxLength(320)
  @IsEmail()
  email?: string;

  @IsUUID()
  profileId!: string;

  @Min(1)
  @IsInt()
  version!: number;

  @ValidateIf((update: EnrichmentUpdateV1) => update.enrichment !== null)
  @ValidateNested()
  @Type(() => ContactEnrichmentV1)
  @IsObject({ message: 'enrichment must be an object, or null to clear it' })
  enrichment!: ContactEnrichmentV1 | null;
}

/** The CRM's per-request limit of its internal batch endpoints (enrichment, contact creation and erasure). */
export const CRM_BATCH_LIMIT = 500;

/** One result per item of a CRM internal batch request, by the item's index in it. */
export interface CrmBatchResultV1<Outcome extends string> {
  readonly results: readonly { readonly index: number; readonly outcome: Outcome; readonly contactId: string | null }[];
}

/** `POST /internal/v1/enrichment` on the CRM: the sync bridge's batch. */
export class EnrichmentBatchV1 {
  @ValidateNested({ each: true })
  @Type(() => EnrichmentUpdateV1)
  @ArrayMaxSize(CRM_BATCH_LIMIT)
  @ArrayMinSize(1)
  @IsArray()
  updates!: EnrichmentUpdateV1[];
}

export type EnrichmentOutcome = 'applied' | 'stale' | 'not_found';

export type EnrichmentBatchResultV1 = CrmBatchResultV1<EnrichmentOutcome>;
