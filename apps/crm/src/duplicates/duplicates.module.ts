import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ContactsModule } from '../contacts/contacts.module.js';
import { DuplicatesController } from './duplicates.controller.js';
import { DuplicatesRepository } from './duplicates.repository.js';
import { DuplicatesService } from './duplicates.service.js';

@Module({
  imports: [AuthModule, ContactsModule],
  controllers: [DuplicatesController],
  providers: [DuplicatesRepository, DuplicatesService],
})
export class DuplicatesModule {}
