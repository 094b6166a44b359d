import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CompaniesModule } from '../companies/companies.module.js';
import { CsvBodyMiddleware } from './csv-body.js';
import { CsvController } from './csv.controller.js';
import { CsvRepository } from './csv.repository.js';
import { CsvService } from './csv.service.js';

@Module({
  imports: [AuthModule, CompaniesModule],
  controllers: [CsvController],
  providers: [CsvRepository, CsvService],
})
export class CsvModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CsvBodyMiddleware).forRoutes({ path: 'v1/contacts/import', method: RequestMethod.POST }, { path: 'v1/companies/import', method: RequestMethod.POST });
  }
}
