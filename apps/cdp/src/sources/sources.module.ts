import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DevSourceSeeder } from './dev-source.seeder.js';
import { SourceEntity } from './source.entity.js';
import { SourcesController } from './sources.controller.js';
import { SourcesRepository } from './sources.repository.js';
import { SourcesService } from './sources.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([SourceEntity])],
  controllers: [SourcesController],
  providers: [SourcesRepository, SourcesService, DevSourceSeeder],
  exports: [SourcesService],
})
export class SourcesModule {}
