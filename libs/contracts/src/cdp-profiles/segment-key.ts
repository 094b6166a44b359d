/**
 * A segment's stable key, as consumers (the CRM's lists, for example) refer to it:
 * lower-case letters and digits in groups joined by single hyphens or underscores
 * (`high-value`, `churn_risk_2`). The name beside it is free text and may change.
 */
export const SEGMENT_KEY_PATTERN = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
export const SEGMENT_KEY_MAX_LENGTH = 100;
export const SEGMENT_NAME_MAX_LENGTH = 200;
export const SEGMENT_KEY_MESSAGE = '$property must be a slug: lower-case letters and digits joined by single hyphens or underscores';
