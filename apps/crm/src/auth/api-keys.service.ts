import { createHash, randomBytes } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApiKeyRole } from './api-key.entity.js';

export interface Principal {
  readonly keyId: string;
  readonly name: string;
  readonly role: ApiKeyRole;
}

const CACHE_TTL_MS = 10_000;

/** API keys: shown once at creation, stored as SHA-256 hashes, cached briefly for authentication. */
@Injectable()
export class ApiKeysService {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(private readonly dataSource: DataSource) {}

  async authenticate(key: string): Promise<Principal | null> {
    const keyHash = hashKey(key);
    const cached = this.cache.get(keyHash);
    if (cached && cached.until > Date.now()) return cached.principal;
    const rows = (await this.dataSource.query('SELECT id, name, role FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [keyHash])) as { id: string; name: string; role: ApiKeyRole }[];
    const principal = rows[0] ? { keyId: rows[0].id, name: rows[0].name, role: rows[0].role } : null;
    this.cache.set(keyHash, { principal, until: Date.now() + CACHE_TTL_MS });
    return principal;
  }

  async create(name: string, role: ApiKeyRole): Promise<{ id: string; name: string; role: ApiKeyRole; key: string }> {
    const key = `crm_${randomBytes(24).toString('base64url')}`;
    const rows = (await this.dataSource.query('INSERT INTO api_keys (name, role, key_hash) VALUES ($1, $2, $3) RETURNING id', [name, role, hashKey(key)])) as { id: string }[];
    return { id: rows[0]?.id ?? '', name, role, key };
  }

  async list(): Promise<{ id: string; name: string; role: ApiKeyRole; createdAt: Date; revokedAt: Date | null }[]> {
    const rows = (await this.dataSource.query('SELECT id, name, role, created_at, revoked_at FROM api_keys ORDER BY created_at')) as {
      id: string;
      name: string;
      role: ApiKeyRole;
      created_at: Date;
      revoked_at: Date | null;
    }[];
    return rows.map((row) => ({ id: row.id, name: row.name, role: row.role, createdAt: row.created_at, revokedAt: row.revoked_at }));
  }

  async revoke(id: string): Promise<void> {
    const result = (await this.dataSource.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id])) as [unknown[], number];
    if (result[1] === 0) throw new NotFoundException(`no active API key with id ${id}`);
    this.cache.clear();
  }

  /** Creates a key with a known value unless it exists (the configured admin and sync keys). */
  async ensure(name: string, role: ApiKeyRole, key: string): Promise<void> {
    await this.dataSource.query('INSERT INTO api_keys (name, role, key_hash) VALUES ($1, $2, $3) ON CONFLICT (key_hash) DO NOTHING', [name, role, hashKey(key)]);
  }
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
