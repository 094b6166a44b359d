import { Controller, Delete, Get, Param, Query, UseGuards } from '@nestjs/common';
import type { StoredEvent } from '../events/events.repository.js';
import { AdminTokenGuard } from '../auth/admin-token.guard.js';
import { PageQueryDto, SearchProfilesQueryDto } from './dtos/profile-queries.dto.js';
import { ProfilesService, type ErasureReceipt, type Page, type ProfileView } from './profiles.service.js';

@Controller('v1/profiles')
@UseGuards(AdminTokenGuard)
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Get()
  search(@Query() query: SearchProfilesQueryDto): ReturnType<ProfilesService['search']> {
    return this.profiles.search(query);
  }

  @Get(':reference')
  get(@Param('reference') reference: string): Promise<ProfileView> {
    return this.profiles.get(reference);
  }

  @Get(':reference/events')
  timeline(@Param('reference') reference: string, @Query() query: PageQueryDto): Promise<Page<StoredEvent>> {
    return this.profiles.timeline(reference, query);
  }

  @Delete(':reference')
  erase(@Param('reference') reference: string): Promise<ErasureReceipt> {
    return this.profiles.erase(reference);
  }
}
