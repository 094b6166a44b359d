import { Body, Controller, HttpCode, HttpStatus, NotFoundException, Param, Post, UseGuards, type PipeTransform } from '@nestjs/common';
import { SEGMENT_EVENT_TYPES, type SegmentEventType } from '@cds/contracts';
import { CurrentSource } from '../auth/current-source.decorator.js';
import { WriteKeyGuard } from '../auth/write-key.guard.js';
import type { AuthenticatedSource } from '../sources/sources.service.js';
import { CollectionService, type CollectionResponse } from './collection.service.js';
import { RequestBodyBytes } from './request-body-bytes.decorator.js';

/** `/v1/track`, `/v1/identify`, ...: any other name is no route of the API. */
class SegmentCallPipe implements PipeTransform<string, SegmentEventType> {
  transform(value: string): SegmentEventType {
    if ((SEGMENT_EVENT_TYPES as readonly string[]).includes(value)) return value as SegmentEventType;
    throw new NotFoundException(`no such endpoint /v1/${value}: use one of ${[...SEGMENT_EVENT_TYPES, 'batch'].map((name) => `/v1/${name}`).join(', ')}`);
  }
}

/** Segment's HTTP tracking API. Bodies are checked event by event in the service, as Segment does. */
@Controller('v1')
@UseGuards(WriteKeyGuard)
export class CollectionController {
  constructor(private readonly collection: CollectionService) {}

  // Declared before ':call' so that 'batch' and 'import' are not taken for call types.
  @Post(['batch', 'import'])
  @HttpCode(HttpStatus.OK)
  batch(@CurrentSource() source: AuthenticatedSource, @Body() body: unknown, @RequestBodyBytes() bodyBytes: number | undefined): Promise<CollectionResponse> {
    return this.collection.batch(body, source, bodyBytes);
  }

  @Post(':call')
  @HttpCode(HttpStatus.OK)
  single(
    @Param('call', SegmentCallPipe) call: SegmentEventType,
    @CurrentSource() source: AuthenticatedSource,
    @Body() body: unknown,
    @RequestBodyBytes() bodyBytes: number | undefined,
  ): Promise<CollectionResponse> {
    return this.collection.single(call, source, body, bodyBytes);
  }
}
