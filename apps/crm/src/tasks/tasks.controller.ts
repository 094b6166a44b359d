import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import type { Principal } from '../auth/api-keys.service.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { READERS, Roles, WRITERS } from '../auth/roles.decorator.js';
import type { Page } from '../common/pagination.js';
import { CreateTaskDto, DueTodayQueryDto, ListTasksQueryDto, OverdueTasksQueryDto, RemindersQueryDto, UpdateTaskDto } from './dtos/task.dto.js';
import { TasksService, type TaskView } from './tasks.service.js';

// The fixed listings (overdue, due-today, reminders) come before ':id', which would otherwise take their names for ids.
@Controller('v1/tasks')
@UseGuards(ApiKeyGuard)
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @Roles(...READERS)
  list(@Query() query: ListTasksQueryDto): Promise<Page<TaskView>> {
    return this.tasks.list(query);
  }

  @Get('overdue')
  @Roles(...READERS)
  overdue(@Query() query: OverdueTasksQueryDto): Promise<Page<TaskView>> {
    return this.tasks.overdue(query);
  }

  @Get('due-today')
  @Roles(...READERS)
  dueToday(@Query() query: DueTodayQueryDto): Promise<Page<TaskView>> {
    return this.tasks.dueToday(query);
  }

  @Get('reminders')
  @Roles(...READERS)
  reminders(@Query() query: RemindersQueryDto): Promise<Page<TaskView>> {
    return this.tasks.reminders(query);
  }

  @Post()
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.CREATED)
  create(@Body() dto: CreateTaskDto, @CurrentPrincipal() actor: Principal): Promise<TaskView> {
    return this.tasks.create(dto, actor);
  }

  @Get(':id')
  @Roles(...READERS)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<TaskView> {
    return this.tasks.get(id);
  }

  @Patch(':id')
  @Roles(...WRITERS)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateTaskDto, @CurrentPrincipal() actor: Principal): Promise<TaskView> {
    return this.tasks.update(id, dto, actor);
  }

  @Post(':id/complete')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.OK)
  complete(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<TaskView> {
    return this.tasks.complete(id, actor);
  }

  @Post(':id/reopen')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.OK)
  reopen(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<TaskView> {
    return this.tasks.reopen(id, actor);
  }

  @Delete(':id')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<void> {
    return this.tasks.remove(id, actor);
  }

  @Post(':id/restore')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.OK)
  restore(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<TaskView> {
    return this.tasks.restore(id, actor);
  }
}
