import { Controller, Get, Header, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import type { Principal } from '../auth/api-keys.service.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { READERS, Roles, WRITERS } from '../auth/roles.decorator.js';
import { CsvText } from './csv-body.js';
import { CsvService, type ImportResult } from './csv.service.js';

@Controller('v1')
@UseGuards(ApiKeyGuard)
export class CsvController {
  constructor(private readonly csv: CsvService) {}

  @Post('contacts/import')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.CREATED)
  importContacts(@CsvText() text: string, @CurrentPrincipal() actor: Principal): Promise<ImportResult> {
    return this.csv.importContacts(text, actor);
  }

  @Post('companies/import')
  @Roles(...WRITERS)
  @HttpCode(HttpStatus.CREATED)
  importCompanies(@CsvText() text: string, @CurrentPrincipal() actor: Principal): Promise<ImportResult> {
    return this.csv.importCompanies(text, actor);
  }

  @Get('contacts/export')
  @Roles(...READERS)
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="contacts.csv"')
  exportContacts(): Promise<string> {
    return this.csv.exportContacts();
  }

  @Get('companies/export')
  @Roles(...READERS)
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="companies.csv"')
  exportCompanies(): Promise<string> {
    return this.csv.exportCompanies();
  }
}
