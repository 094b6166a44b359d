import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import type { Principal } from '../auth/api-keys.service.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { READERS, Roles, WRITERS } from '../auth/roles.decorator.js';
import type { CompanyRow } from './companies.repository.js';
import { CompaniesService } from './companies.service.js';
import { CreateCompanyDto, ListCompaniesQueryDto, UpdateCompanyDto } from './dtos/company.dto.js';
import type { Page } from '../common/pagination.js';

@Controller('v1/companies')
@UseGuards(ApiKeyGuard)
export class CompaniesController {
  constructor(private readonly companies: CompaniesService) {}

  @Get()
  @Roles(...READERS)
  list(@Query() query: ListCompaniesQueryDto): Promise<Page<CompanyRow>> {
    return this.companies.list(query);
  }

  @Post()
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.CREATED)
  create(@Body() dto: CreateCompanyDto, @CurrentPrincipal() actor: Principal): Promise<CompanyRow> {
    return this.companies.create(dto, actor);
  }

  @Get(':id')
  @Roles(...READERS)
  get(@Param('id', ParseUUIDPipe) id: string): ReturnType<CompaniesService['get']> {
    return this.companies.get(id);
  }

  @Get(':id/audit')
  @Roles(...READERS)
  audit(@Param('id', ParseUUIDPipe) id: string): ReturnType<CompaniesService['auditTrail']> {
    return this.companies.auditTrail(id);
  }

  @Patch(':id')
  @Roles(...WRITERS)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateCompanyDto, @CurrentPrincipal() actor: Principal): Promise<CompanyRow> {
    return this.companies.update(id, dto, actor);
  }

  @Delete(':id')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<void> {
    return this.companies.remove(id, actor);
  }

  @Post(':id/restore')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.OK)
  restore(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<CompanyRow> {
    return this.companies.restore(id, actor);
  }
}
