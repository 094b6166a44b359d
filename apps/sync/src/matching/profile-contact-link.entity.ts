import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Which CRM contact a CDP profile is applied to: the first and strongest matching rule. */
@Entity({ name: 'profile_contact_links' })
export class ProfileContactLinkEntity {
  @PrimaryColumn({ name: 'profile_id', type: 'text' })
  profileId!: string;

  @Column({ name: 'contact_id', type: 'uuid' })
  contactId!: string;

  /** The highest insights version sent for this profile and answered applied or stale. */
  @Column({ name: 'last_version', type: 'bigint', default: 0 })
  lastVersion!: string;

  @UpdateDateColumn({ name: 'linked_at', type: 'timestamptz' })
  linkedAt!: Date;
}
