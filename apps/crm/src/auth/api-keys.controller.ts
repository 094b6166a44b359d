import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard.js';
import { ApiKeysService } from './api-keys.service.js';
import { CreateApiKeyDto } from './dtos/create-api-key.dto.js';
import { Roles } from './roles.decorator.js';

@Controller('v1/api-keys')
@UseGuards(ApiKeyGuard)
@Roles('admin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  create(@Body() dto: CreateApiKeyDto): ReturnType<ApiKeysService['create']> {
    return this.keys.create(dto.name, dto.role);
  }

  @Get()
  list(): ReturnType<ApiKeysService['list']> {
    return this.keys.list();
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  revoke(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.keys.revoke(id);
  }
}
