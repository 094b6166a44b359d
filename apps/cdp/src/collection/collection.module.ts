import { Module } from '@nestjs/common';
import { SourcesModule } from '../sources/sources.module.js';
import { CollectionController } from './collection.controller.js';
import { CollectionService } from './collection.service.js';

@Module({
  imports: [SourcesModule],
  controllers: [CollectionController],
  providers: [CollectionService],
})
export class CollectionModule {}
