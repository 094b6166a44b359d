import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsISO8601, IsNotEmpty, IsNumber, IsObject, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Nullable, SchemaDescription } from '../contract-decorators.js';

// Decorators register bottom-up and validation stops at a field's first failure,
// so each field's presence/type check is written last to be reported first.
// `Nullable` fields must be sent with a value or null: a missing key is refused.

@SchemaDescription('RFM (recency, frequency, monetary) scores, each 1 (lowest) to 5 (highest), and the segment they place the profile in.')
export class RfmScoreV1 {
  @Max(5)
  @Min(1)
  @IsInt()
  recency!: number;

  @Max(5)
  @Min(1)
  @IsInt()
  frequency!: number;

  @Max(5)
  @Min(1)
  @IsInt()
  monetary!: number;

  @SchemaDescription('The RFM segment these scores place the profile in, e.g. `champions` or `at-risk`.')
  @MaxLength(100)
  @IsNotEmpty()
  @IsString()
  segment!: string;

  @IsISO8601({ strict: true })
  scoredAt!: string;
}

@SchemaDescription('Order revenue in a currency with no configured exchange rate: kept apart, never guessed into lifetimeValue.')
export class UnconvertedRevenueV1 {
  @SchemaDescription('ISO 4217 code of the amount.')
  @Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 currency code (3 upper-case letters)' })
  @IsString()
  currency!: string;

  @Min(0)
  @IsNumber()
  amount!: number;
}

/**
 * What the CDP has worked out about a profile. Money is in `currency`; counts and
 * sums cover the profile's whole history unless the name says otherwise (`30d`).
 */
@SchemaDescription('Computed insights about one profile. Money values are in `currency`; null means "none yet" or "not computed".')
export class ProfileInsightValuesV1 {
  @SchemaDescription('ISO 4217 code of the reporting currency of every money value here.')
  @Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 currency code (3 upper-case letters)' })
  @IsString()
  currency!: string;

  @SchemaDescription('Sum of all orders, in `currency`.')
  @Min(0)
  @IsNumber()
  lifetimeValue!: number;

  @SchemaDescription('Revenue in currencies with no exchange rate to `currency`, one entry per currency; not part of lifetimeValue.')
  @ValidateNested({ each: true })
  @Type(() => UnconvertedRevenueV1)
  @IsObject({ each: true })
  @ArrayMaxSize(20)
  @IsArray()
  unconvertedRevenue!: UnconvertedRevenueV1[];

  @Min(0)
  @IsInt()
  orderCount!: number;

  @SchemaDescription('lifetimeValue / orderCount; null before the first order.')
  @Min(0)
  @IsNumber()
  @Nullable()
  averageOrderValue!: number | null;

  @IsISO8601({ strict: true })
  @Nullable()
  firstOrderAt!: string | null;

  @IsISO8601({ strict: true })
  @Nullable()
  lastOrderAt!: string | null;

  @SchemaDescription('Whole days between lastOrderAt and computedAt; null before the first order.')
  @Min(0)
  @IsInt()
  @Nullable()
  daysSinceLastOrder!: number | null;

  @SchemaDescription('Time of the newest event of any kind.')
  @IsISO8601({ strict: true })
  @Nullable()
  lastSeenAt!: string | null;

  @SchemaDescription('Channels (sources) the profile was seen on, e.g. `web`, `email`, `pos`.')
  @MaxLength(100, { each: true })
  @IsNotEmpty({ each: true })
  @IsString({ each: true })
  @ArrayMaxSize(20)
  @IsArray()
  channels!: string[];

  @MaxLength(200)
  @IsString()
  @Nullable()
  topViewedCategory!: string | null;

  @MaxLength(200)
  @IsString()
  @Nullable()
  topPurchasedCategory!: string | null;

  @SchemaDescription('Marketing emails opened in the 30 days before computedAt.')
  @Min(0)
  @IsInt()
  emailOpens30d!: number;

  @SchemaDescription('Marketing emails clicked in the 30 days before computedAt.')
  @Min(0)
  @IsInt()
  emailClicks30d!: number;

  @SchemaDescription('Null until the profile has an order to score.')
  @ValidateNested()
  @Type(() => RfmScoreV1)
  @IsObject()
  @Nullable()
  rfm!: RfmScoreV1 | null;

  @SchemaDescription('Predicted value of future orders, in `currency`; null when the model has too little history.')
  @Min(0)
  @IsNumber()
  @Nullable()
  predictedLifetimeValue!: number | null;

  @SchemaDescription('Probability (0 to 1) that the customer is still active.')
  @Max(1)
  @Min(0)
  @IsNumber()
  @Nullable()
  probabilityAlive!: number | null;

  @SchemaDescription('Probability (0 to 1) that the customer churns.')
  @Max(1)
  @Min(0)
  @IsNumber()
  @Nullable()
  churnRisk!: number | null;

  @SchemaDescription('Probability (0 to 1) of at least one order in the next 30 days.')
  @Max(1)
  @Min(0)
  @IsNumber()
  @Nullable()
  purchaseProbability30d!: number | null;
}
