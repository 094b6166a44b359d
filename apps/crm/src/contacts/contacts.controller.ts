import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import type { Principal } from '../auth/api-keys.service.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { READERS, Roles, WRITERS } from '../auth/roles.decorator.js';
import type { ContactRow } from './contacts.repository.js';
import type { Page } from '../common/pagination.js';
import { ContactsService } from './contacts.service.js';
import { CreateContactDto, ListContactsQueryDto, UpdateContactDto } from './dtos/contact.dto.js';

@Controller('v1/contacts')
@UseGuards(ApiKeyGuard)
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get()
  @Roles(...READERS)
  list(@Query() query: ListContactsQueryDto): Promise<Page<ContactRow>> {
    return this.contacts.list(query);
  }

  @Post()
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.CREATED)
  create(@Body() dto: CreateContactDto, @CurrentPrincipal() actor: Principal): Promise<ContactRow> {
    return this.contacts.create(dto, actor);
  }

  @Get(':id')
  @Roles(...READERS)
  get(@Param('id', ParseUUIDPipe) id: string): ReturnType<ContactsService['get']> {
    return this.contacts.get(id);
  }

  @Get(':id/audit')
  @Roles(...READERS)
  audit(@Param('id', ParseUUIDPipe) id: string): ReturnType<ContactsService['auditTrail']> {
    return this.contacts.auditTrail(id);
  }

  @Patch(':id')
  @Roles(...WRITERS)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateContactDto, @CurrentPrincipal() actor: Principal): Promise<ContactRow> {
    return this.contacts.update(id, dto, actor);
  }

  @Delete(':id')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<void> {
    return this.contacts.remove(id, actor);
  }

  @Post(':id/restore')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.OK)
  restore(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<ContactRow> {
    return this.contacts.restore(id, actor);
  }
}
