import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { CurrentSource } from '../auth/current-source.decorator.js';
import { WriteKeyGuard } from '../auth/write-key.guard.js';
import type { AuthenticatedSource } from '../sources/sources.service.js';
import { CollectionService, type CollectionResponse } from './collection.service.js';

/** Segment's HTTP tracking API. Bodies are checked event by event in the service, as Segment does. */
@Controller('v1')
@UseGuards(WriteKeyGuard)
export class CollectionController {
  constructor(private readonly collection: CollectionService) {}

  @Post('track')
  @HttpCode(HttpStatus.OK)
  track(@CurrentSource() source: AuthenticatedSource, @Body() body: unknown): Promise<CollectionResponse> {
    return this.collection.single('track', body, source);
  }

  @Post('identify')
  @HttpCode(HttpStatus.OK)
  identify(@CurrentSource() source: AuthenticatedSource, @Body() body: unknown): Promise<CollectionResponse> {
    return this.collection.single('identify', body, source);
  }

  @Post('page')
  @HttpCode(HttpStatus.OK)
  page(@CurrentSource() source: AuthenticatedSource, @Body() body: unknown): Promise<CollectionResponse> {
    return this.collection.single('page', body, source);
  }

  @Post('screen')
  @HttpCode(HttpStatus.OK)
  screen(@CurrentSource() source: AuthenticatedSource, @Body() body: unknown): Promise<CollectionResponse> {
    return this.collection.single('screen', body, source);
  }

  @Post('group')
  @HttpCode(HttpStatus.OK)
  group(@CurrentSource() source: AuthenticatedSource, @Body() body: unknown): Promise<CollectionResponse> {
    return this.collection.single('group', body, source);
  }

  @Post('alias')
  @HttpCode(HttpStatus.OK)
  alias(@CurrentSource() source: AuthenticatedSource, @Body() body: unknown): Promise<CollectionResponse> {
    return this.collection.single('alias', body, source);
  }

  @Post(['batch', 'import'])
  @HttpCode(HttpStatus.OK)
  batch(@CurrentSource() source: AuthenticatedSource, @Body() body: unknown): Promise<CollectionResponse> {
    return this.collection.batch(body, source);
  }
}
