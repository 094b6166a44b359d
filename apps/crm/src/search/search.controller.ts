import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import { READERS, Roles } from '../auth/roles.decorator.js';
import { SearchService, type SearchResults } from './search.service.js';

export class SearchQueryDto {
  @MaxLength(200)
  @IsNotEmpty({ message: 'q must not be empty' })
  @IsString()
  q!: string;
}

@Controller('v1/search')
@UseGuards(ApiKeyGuard)
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get()
  @Roles(...READERS)
  find(@Query() query: SearchQueryDto): Promise<SearchResults> {
    return this.search.find(query.q);
  }
}
