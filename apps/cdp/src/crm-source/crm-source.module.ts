import { Module } from '@nestjs/common';
import { ProcessingModule } from '../processing/processing.module.js';
import { SourcesModule } from '../sources/sources.module.js';
import { CrmContactChangesConsumer } from './crm-contact-changes.consumer.js';

/** The CRM's contact changes (crm.contact-changes.v1) taken in as the `crm` source. */
@Module({
  imports: [ProcessingModule, SourcesModule],
  providers: [CrmContactChangesConsumer],
})
export class CrmSourceModule {}
