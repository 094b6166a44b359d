import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A profile whose insights found no CRM contact (update-only mode): kept to be matched later. */
@Entity({ name: 'unmatched_profiles' })
export class UnmatchedProfileEntity {
  @PrimaryColumn({ name: 'profile_id', type: 'text' })
  profileId!: string;

  @Column({ name: 'version', type: 'bigint' })
  version!: string;

  @Column({ name: 'emails', type: 'text', array: true })
  emails!: string[];

  @Column({ name: 'crm_contact_ids', type: 'text', array: true })
  crmContactIds!: string[];

  /** The enrichment update the bridge last tried to deliver (EnrichmentUpdateV1), applied once a matching contact appears. */
  @Column({ name: 'pending_update', type: 'jsonb', nullable: true })
  pendingUpdate!: Record<string, unknown> | null;

  @Column({ name: 'first_seen_at', type: 'timestamptz' })
  firstSeenAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;
}
