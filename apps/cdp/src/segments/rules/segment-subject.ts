/** One track event of the profile, as the evaluator reads it. */
export interface SegmentEvent {
  readonly event: string;
  readonly timestamp: Date;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** What a rule is evaluated against: one profile's current state and (some of) its history. */
export interface SegmentSubject {
  readonly traits: Readonly<Record<string, unknown>>;
  /** Keys from insight-fields; dates as ISO strings; a missing key is "no value". */
  readonly insights: Readonly<Record<string, unknown>>;
  /** Purpose → granted. */
  readonly consent: Readonly<Record<string, boolean>>;
  /** In any order; at least those `describeEventNeeds` asks for. */
  readonly events: readonly SegmentEvent[];
}

export interface SegmentEvaluation {
  readonly member: boolean;
  /**
   * The earliest future instant at which `member` could change with no new data, or null
   * when only new data can change it. Never later than the real change; it may be earlier
   * (re-evaluating then gives the same answer and a later instant).
   */
  readonly reevaluateAt: Date | null;
}
