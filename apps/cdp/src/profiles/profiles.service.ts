import { randomUUID } from 'node:crypto';
import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { profileErasedV1, TOPICS } from '@cds/contracts';
import { OutboxWriter, retryingTransaction } from '@cds/service-kit';
import { CDP_SETTINGS, type CdpSettings } from '../config/cdp-settings.js';
import { EventsRepository, type StoredEvent } from '../events/events.repository.js';
import { IdentityGraphRepository } from '../identity/identity-graph.repository.js';
import type { Identifier } from '../identity/identifier.js';
import type { PageQueryDto, SearchProfilesQueryDto } from './dtos/profile-queries.dto.js';
import { profileIdentifiers } from './profile-identifiers.js';
import { decodeCursor, encodeCursor, parseProfileReference } from './profile-reference.js';
import { ProfilesRepository, type ProfileRow } from './profiles.repository.js';
import { traitValues, type TraitState } from './trait-merge.js';

export interface ProfileView {
  readonly id: string;
  readonly traits: Record<string, unknown>;
  /** Per trait: when it was observed and by which source. */
  readonly traitSources: Record<string, { observedAt: string; source: string }>;
  readonly consent: Record<string, { granted: unknown; observedAt: string; source: string }>;
  readonly identities: readonly Identifier[];
  readonly conflicts: readonly unknown[];
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface Page<T> {
  readonly data: readonly T[];
  readonly nextCursor: string | null;
}

export interface ErasureReceipt {
  readonly profileId: string;
  readonly erasedProfileIds: readonly string[];
  readonly eventsDeleted: number;
  readonly identifiersSuppressed: number;
}

/** Reading unified profiles, and erasing them on request. */
@Injectable()
export class ProfilesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly profiles: ProfilesRepository,
    private readonly identities: IdentityGraphRepository,
    private readonly events: EventsRepository,
    private readonly outbox: OutboxWriter,
    @Inject(CDP_SETTINGS) private readonly settings: CdpSettings,
  ) {}

  async get(reference: string): Promise<ProfileView> {
    const manager = this.dataSource.manager;
    const profile = await this.resolve(manager, reference);
    const identities = (await this.identities.identifiersOfProfiles(manager, [profile.id])).get(profile.id) ?? [];
    return {
      id: profile.id,
      traits: traitValues(profile.traits),
      traitSources: provenance(profile.traits),
      consent: Object.fromEntries(Object.entries(profile.consent).map(([purpose, entry]) => [purpose, { granted: entry.value, observedAt: entry.observedAt, source: entry.source }])),
      identities,
      conflicts: await this.identities.conflictsOf(manager, profile.id),
      version: profile.version,
      createdAt: profile.createdAt,
      updatedAt: profile.updatedAt,
    };
  }

  async timeline(reference: string, query: PageQueryDto): Promise<Page<StoredEvent>> {
    const before = decodeCursor(query.cursor, ['timestamp', 'id'] as const);
    if (before && 'error' in before) throw new BadRequestException(before.error);
    const profile = await this.resolve(this.dataSource.manager, reference);
    const rows = await this.events.timeline(this.dataSource.manager, profile.id, query.limit + 1, before);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return { data: page, nextCursor: rows.length > query.limit && last ? encodeCursor({ timestamp: last.timestamp.toISOString(), id: last.id }) : null };
  }

  async search(query: SearchProfilesQueryDto): Promise<Page<{ id: string; traits: Record<string, unknown>; updatedAt: Date }>> {
    const after = decodeCursor(query.cursor, ['updatedAt', 'id'] as const);
    if (after && 'error' in after) throw new BadRequestException(after.error);
    const rows = await this.profiles.searchByTrait(this.dataSource.manager, query.trait, parseValue(query.value), query.limit + 1, after);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      data: page.map((row) => ({ id: row.id, traits: traitValues(row.traits), updatedAt: row.updatedAt })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ updatedAt: last.updatedAt.toISOString(), id: last.id }) : null,
    };
  }

  /**
   * Right to be forgotten: deletes the profile, every profile merged into it,
   * their events, traits and identities; keeps hashes of the identifiers so the
   * same person is not re-created from them; tells downstream systems.
   */
  async erase(reference: string): Promise<ErasureReceipt> {
    return retryingTransaction(this.dataSource, async (manager) => {
      const profile = await this.resolve(manager, reference);
      const family = await this.profiles.familyOf(manager, profile.id);
      const identifiers = [...(await this.identities.identifiersOfProfiles(manager, family)).values()].flat();
      await this.identities.lockIdentifiers(manager, identifiers);
      const eventsDeleted = await this.events.deleteForProfiles(manager, family);
      await this.identities.suppress(manager, identifiers);
      await this.profiles.deleteFamily(manager, family);
      await this.outbox.enqueue(manager, profileErasedV1, [
        Object.assign(new profileErasedV1.valueClass(), {
          schemaVersion: 1 as const,
          erasureId: randomUUID(),
          profileId: profile.id,
          mergedProfileIds: family.filter((id) => id !== profile.id),
          identifiers: profileIdentifiers(identifiers),
          requestedAt: new Date().toISOString(),
        }),
      ]);
      for (const id of family) await this.outbox.enqueueTombstone(manager, TOPICS.cdpProfileInsights, id);
      return { profileId: profile.id, erasedProfileIds: family, eventsDeleted, identifiersSuppressed: identifiers.length };
    });
  }

  private async resolve(manager: EntityManager, reference: string): Promise<ProfileRow> {
    const parsed = parseProfileReference(reference, this.settings.defaultPhoneRegion);
    if ('error' in parsed) throw new BadRequestException(parsed.error);
    const profile = await this.profiles.resolveLive(manager, parsed);
    if (!profile) throw new NotFoundException(`no profile for ${reference}`);
    return profile;
  }
}

function provenance(traits: TraitState): Record<string, { observedAt: string; source: string }> {
  return Object.fromEntries(Object.entries(traits).map(([name, entry]) => [name, { observedAt: entry.observedAt, source: entry.source }]));
}

function parseValue(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
