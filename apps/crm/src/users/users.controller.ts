import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import type { Principal } from '../auth/api-keys.service.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { READERS, Roles } from '../auth/roles.decorator.js';
import { CreateUserDto, ListUsersQueryDto, UpdateUserDto } from './dtos/user.dto.js';
import type { UserRow } from './users.repository.js';
import { UsersService, type UserPage } from './users.service.js';

/** Everyone reads users (to pick owners); only admins manage them. */
@Controller('v1/users')
@UseGuards(ApiKeyGuard)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Roles(...READERS)
  list(@Query() query: ListUsersQueryDto): Promise<UserPage> {
    return this.users.list(query);
  }

  @Get(':id')
  @Roles(...READERS)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<UserRow> {
    return this.users.get(id);
  }

  @Post()
  @Roles('admin')
  @HttpCode(HttpStatus.CREATED)
  create(@Body() dto: CreateUserDto, @CurrentPrincipal() actor: Principal): Promise<UserRow> {
    return this.users.create(dto, actor);
  }

  @Patch(':id')
  @Roles('admin')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUserDto, @CurrentPrincipal() actor: Principal): Promise<UserRow> {
    return this.users.update(id, dto, actor);
  }

  /** Deactivates: the user stays, as the owner of what they owned. */
  @Delete(':id')
  @Roles('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  deactivate(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<void> {
    return this.users.deactivate(id, actor);
  }

  @Post(':id/reactivate')
  @Roles('admin')
  @HttpCode(HttpStatus.OK)
  reactivate(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<UserRow> {
    return this.users.reactivate(id, actor);
  }
}
