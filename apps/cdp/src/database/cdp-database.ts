import type { ServiceDatabase } from '@cds/service-kit';
import { SourceEntity } from '../sources/source.entity.js';
import { CreateSources1763888400000 } from './migrations/1763888400000-create-sources.js';
import { CreateProfilesAndEvents1763892000000 } from './migrations/1763892000000-create-profiles-and-events.js';
import { CreateInsightsAndSegments1763978400000 } from './migrations/1763978400000-create-insights-and-segments.js';
import { InsightsVersionSequence1764061200000 } from './migrations/1764061200000-insights-version-sequence.js';

/** Everything the cdp database holds: its entities and the migrations that create them, in order. */
export const cdpDatabase: Omit<ServiceDatabase, 'url'> = {
  entities: [SourceEntity],
  migrations: [CreateSources1763888400000, CreateProfilesAndEvents1763892000000, CreateInsightsAndSegments1763978400000, InsightsVersionSequence1764061200000],
};
