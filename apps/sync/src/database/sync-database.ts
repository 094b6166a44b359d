import type { ServiceDatabase } from '@cds/service-kit';
import { ProfileContactLinkEntity } from '../matching/profile-contact-link.entity.js';
import { UnmatchedProfileEntity } from '../matching/unmatched-profile.entity.js';
import { CreateProfileContactLinks1763888400000 } from './migrations/1763888400000-create-profile-contact-links.js';
import { CreateUnmatchedProfiles1763888500000 } from './migrations/1763888500000-create-unmatched-profiles.js';
import { AddUnmatchedPendingUpdate1763888600000 } from './migrations/1763888600000-add-unmatched-pending-update.js';
import { CreateSyncLog1763888700000 } from './migrations/1763888700000-create-sync-log.js';

/** Everything the sync database holds: its entities and the migrations that create them, in order. */
export const syncDatabase: Omit<ServiceDatabase, 'url'> = {
  entities: [ProfileContactLinkEntity, UnmatchedProfileEntity],
  migrations: [CreateProfileContactLinks1763888400000, CreateUnmatchedProfiles1763888500000, AddUnmatchedPendingUpdate1763888600000, CreateSyncLog1763888700000],
};
