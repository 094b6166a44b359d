import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { TaskRemindersScheduler } from './task-reminders.scheduler.js';
import { TasksController } from './tasks.controller.js';
import { TasksRepository } from './tasks.repository.js';
import { TasksService } from './tasks.service.js';

@Module({
  imports: [AuthModule],
  controllers: [TasksController],
  providers: [TasksRepository, TasksService, TaskRemindersScheduler],
})
export class TasksModule {}
