import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ContactCreationBatchV1, ContactErasureRequestV1, type ContactCreationResultV1, type ContactErasureResultV1 } from '@cds/contracts';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import type { Principal } from '../auth/api-keys.service.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { ContactCreationService } from './contact-creation.service.js';
import { ContactErasureService } from './contact-erasure.service.js';

/** Internal: only the sync bridge's key (role `sync`) creates contacts for CDP customers and erases contacts on request. */
@Controller('internal/v1/contacts')
@UseGuards(ApiKeyGuard)
@Roles('sync')
export class InternalContactsController {
  constructor(
    private readonly creation: ContactCreationService,
    private readonly erasure: ContactErasureService,
  ) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  createOrGet(@Body() batch: ContactCreationBatchV1, @CurrentPrincipal() actor: Principal): Promise<ContactCreationResultV1> {
    return this.creation.createOrGet(batch, actor);
  }

  @Post('erase')
  @HttpCode(HttpStatus.OK)
  erase(@Body() request: ContactErasureRequestV1, @CurrentPrincipal() actor: Principal): Promise<ContactErasureResultV1> {
    return this.erasure.erase(request, actor);
  }
}
