import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ContactsModule } from '../contacts/contacts.module.js';
import { ContactCreationService } from './contact-creation.service.js';
import { ContactErasureService } from './contact-erasure.service.js';
import { InternalContactsController } from './internal-contacts.controller.js';

@Module({
  imports: [AuthModule, ContactsModule],
  controllers: [InternalContactsController],
  providers: [ContactCreationService, ContactErasureService],
})
export class InternalContactsModule {}
