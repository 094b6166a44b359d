import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import type { Principal } from '../auth/api-keys.service.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { READERS, Roles, WRITERS } from '../auth/roles.decorator.js';
import type { TicketRow } from './tickets.repository.js';
import { TicketsService } from './tickets.service.js';
import type { Page } from '../common/pagination.js';
import { CreateTicketDto, ListTicketsQueryDto, UpdateTicketDto } from './dtos/ticket.dto.js';

@Controller('v1/tickets')
@UseGuards(ApiKeyGuard)
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Get()
  @Roles(...READERS)
  list(@Query() query: ListTicketsQueryDto): Promise<Page<TicketRow>> {
    return this.tickets.list(query);
  }

  @Post()
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.CREATED)
  create(@Body() dto: CreateTicketDto, @CurrentPrincipal() actor: Principal): Promise<TicketRow> {
    return this.tickets.create(dto, actor);
  }

  @Get(':id')
  @Roles(...READERS)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<TicketRow> {
    return this.tickets.get(id);
  }

  @Patch(':id')
  @Roles(...WRITERS)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateTicketDto, @CurrentPrincipal() actor: Principal): Promise<TicketRow> {
    return this.tickets.update(id, dto, actor);
  }

  @Delete(':id')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<void> {
    return this.tickets.remove(id, actor);
  }

  @Post(':id/restore')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.OK)
  restore(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<TicketRow> {
    return this.tickets.restore(id, actor);
  }
}
