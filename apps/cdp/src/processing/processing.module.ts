import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { InsightsModule } from '../insights/insights.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { SourcesModule } from '../sources/sources.module.js';
import { EventBatchIngestionService } from './event-batch-ingestion.service.js';
import { EventIngestionService } from './event-ingestion.service.js';
import { RawEventProcessor } from './raw-event.processor.js';

@Module({
  imports: [SourcesModule, IdentityModule, EventsModule, ProfilesModule, InsightsModule],
  providers: [EventIngestionService, EventBatchIngestionService, RawEventProcessor],
  exports: [EventIngestionService],
})
export class ProcessingModule {}
