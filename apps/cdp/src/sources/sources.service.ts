import { createHash, randomBytes } from 'node:crypto';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { CreateSourceDto } from './dtos/create-source.dto.js';
import type { SourceEntity } from './source.entity.js';
import { SourcesRepository } from './sources.repository.js';

export interface SourceView {
  readonly id: string;
  readonly name: string;
  readonly channel: string;
  readonly createdAt: Date;
  readonly disabledAt: Date | null;
}

/** An authenticated source, as collection and processing need it. */
export interface AuthenticatedSource {
  readonly id: string;
  readonly name: string;
  readonly channel: string;
}

const CACHE_TTL_MS = 30_000;

/** Sources and their write keys. Keys are shown once at creation and stored only as hashes. */
@Injectable()
export class SourcesService {
  // Every collection request authenticates: a short cache keeps that off the database.
  private readonly byKeyHash = new Map<string, { source: AuthenticatedSource | null; until: number }>();
  private readonly byId = new Map<string, AuthenticatedSource>();

  constructor(private readonly sources: SourcesRepository) {}

  async create(dto: CreateSourceDto): Promise<SourceView & { writeKey: string }> {
    if (await this.sources.findByName(dto.name)) throw new ConflictException(`a source named "${dto.name}" already exists`);
    const writeKey = randomBytes(24).toString('base64url');
    const source = await this.sources.create({ name: dto.name, channel: dto.channel, writeKeyHash: hashWriteKey(writeKey) });
    return { ...toView(source), writeKey };
  }

  /** Creates the source with a known key unless it exists (local development and tests). */
  async ensure(name: string, channel: string, writeKey: string): Promise<void> {
    if (await this.sources.findByName(name)) return;
    await this.sources.create({ name, channel, writeKeyHash: hashWriteKey(writeKey) }).catch(async (error: unknown) => {
      if (!(await this.sources.findByName(name))) throw error; // lost a race with another instance: fine
    });
  }

  /**
   * A source the CDP feeds itself (the CRM's contact changes), created on first
   * use with a write key nobody is told: its events never come through the API.
   */
  async internalSource(name: string, channel: string): Promise<AuthenticatedSource> {
    await this.ensure(name, channel, randomBytes(24).toString('base64url'));
    const source = await this.sources.findByName(name);
    if (!source) throw new Error(`source ${name} could not be created`);
    return { id: source.id, name: source.name, channel: source.channel };
  }

  async list(): Promise<SourceView[]> {
    return (await this.sources.list()).map(toView);
  }

  async disable(id: string): Promise<void> {
    if (!(await this.sources.findById(id))) throw new NotFoundException(`no source with id ${id}`);
    await this.sources.disable(id);
    this.byKeyHash.clear();
  }

  async authenticate(writeKey: string): Promise<AuthenticatedSource | null> {
    const keyHash = hashWriteKey(writeKey);
    const cached = this.byKeyHash.get(keyHash);
    if (cached && cached.until > Date.now()) return cached.source;
    const found = await this.sources.findActiveByKeyHash(keyHash);
    const source = found ? { id: found.id, name: found.name, channel: found.channel } : null;
    this.byKeyHash.set(keyHash, { source, until: Date.now() + CACHE_TTL_MS });
    return source;
  }

  /** The source's name (trait provenance) and channel (insights); sources are never deleted, so this is cached for good. */
  async describe(sourceId: string): Promise<AuthenticatedSource> {
    const cached = this.byId.get(sourceId);
    if (cached) return cached;
    const source = await this.sources.findById(sourceId);
    if (!source) return { id: sourceId, name: 'unknown-source', channel: 'unknown' };
    const described = { id: source.id, name: source.name, channel: source.channel };
    this.byId.set(sourceId, described);
    return described;
  }
}

function hashWriteKey(writeKey: string): string {
  return createHash('sha256').update(writeKey).digest('hex');
}

function toView(source: SourceEntity): SourceView {
  return { id: source.id, name: source.name, channel: source.channel, createdAt: source.createdAt, disabledAt: source.disabledAt };
}
