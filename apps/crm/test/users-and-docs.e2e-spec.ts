import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { startTestApp, testEnv, type RunningTestApp } from '@cds/service-testing';
import { createIsolatedDatabase, testInfrastructure, uniqueTopicPrefix, type IsolatedDatabase } from '@cds/testing';
import { CrmEnv } from '../src/config/crm-env.js';
import { CrmModule } from '../src/crm.module.js';
import { serveCrmOpenApi } from '../src/docs/crm-openapi.js';
import { ADMIN_KEY, CrmHarness, SYNC_KEY } from './crm-harness.js';

interface User {
  id: string;
  email: string;
  name: string;
  role: string;
  active: boolean;
  deactivatedAt: string | null;
}

describe('CRM users and OpenAPI docs on real Postgres', () => {
  let crm: CrmHarness;
  const call: CrmHarness['call'] = (key, method, path, body) => crm.call(key, method, path, body);
  const create = async (fields: Record<string, unknown>): Promise<User> => {
    const { status, body } = await call(ADMIN_KEY, 'POST', '/v1/users', fields);
    expect(status).toBe(201);
    return body as User;
  };

  beforeAll(async () => {
    crm = await CrmHarness.start('crm-users');
  }, 60_000);

  afterAll(async () => {
    await crm?.stop();
  });

  it('lets only admins manage users, and every human role read them', async () => {
    const user = await create({ email: 'reader-check@example.com', name: 'Reader Check', role: 'sales_rep' });
    for (const key of [crm.repKey, crm.readOnlyKey]) {
      expect(await call(key, 'POST', '/v1/users', { email: 'x@example.com', name: 'X', role: 'admin' })).toMatchObject({
        status: 403,
        body: { message: expect.stringContaining('may not do this (needs admin)') },
      });
      expect((await call(key, 'PATCH', `/v1/users/${user.id}`, { name: 'Renamed' })).status).toBe(403);
      expect((await call(key, 'DELETE', `/v1/users/${user.id}`)).status).toBe(403);
      expect((await call(key, 'POST', `/v1/users/${user.id}/reactivate`)).status).toBe(403);
      expect((await call(key, 'GET', `/v1/users/${user.id}`)).body).toMatchObject({ email: 'reader-check@example.com' });
      expect((await call(key, 'GET', '/v1/users')).status).toBe(200);
    }
    expect((await call(SYNC_KEY, 'GET', '/v1/users')).status).toBe(403);
    expect((await call(null, 'GET', '/v1/users')).status).toBe(401);
    expect((await call(ADMIN_KEY, 'GET', `/v1/users/${user.id}`)).body).toMatchObject({ name: 'Reader Check' });
  });

  it('normalises emails, keeps one user per address and refuses bad input with messages that say what is wrong', async () => {
    const user = await create({ email: '  Ana.Lopez@Example.COM ', name: '  Ana   López ', role: 'sales_rep' });
    expect(user).toMatchObject({ email: 'ana.lopez@example.com', name: 'Ana López', role: 'sales_rep', active: true, deactivatedAt: null });
    expect(await call(ADMIN_KEY, 'POST', '/v1/users', { email: 'ANA.LOPEZ@example.com', name: 'Other Ana', role: 'read_only' })).toMatchObject({
      status: 409,
      body: { message: 'a user with this email already exists' },
    });
    const bad = await call(ADMIN_KEY, 'POST', '/v1/users', { email: 'nope', name: '', role: 'sync', shoeSize: 44 });
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string[] }).message).toEqual(
      expect.arrayContaining(['email must be an email address', 'name must not be empty', 'role must be one of admin, sales_rep, read_only', 'property shoeSize should not exist']),
    );
    expect((await call(ADMIN_KEY, 'PATCH', `/v1/users/${user.id}`, { role: 'owner' })).status).toBe(400);
    expect((await call(ADMIN_KEY, 'GET', '/v1/users/not-a-uuid')).status).toBe(400);
    expect((await call(ADMIN_KEY, 'GET', `/v1/users/${randomUUID()}`)).status).toBe(404);
    expect((await call(ADMIN_KEY, 'GET', '/v1/users?active=maybe')).body).toMatchObject({ message: ['active must be true or false'] });
    expect((await call(ADMIN_KEY, 'GET', '/v1/users?cursor=bogus')).status).toBe(400);
    // Nothing half-written: the refused users do not exist.
    expect(await crm.query("SELECT 1 FROM users WHERE email IN ('nope', 'other ana')")).toEqual([]);
  });

  it('updates only what changed, and refuses an email another user has', async () => {
    const ben = await create({ email: 'ben@example.com', name: 'Ben', role: 'read_only' });
    await create({ email: 'cleo@example.com', name: 'Cleo', role: 'read_only' });
    const promoted = await call(ADMIN_KEY, 'PATCH', `/v1/users/${ben.id}`, { role: 'admin', name: 'Ben Adams', email: 'BEN@example.com' });
    expect(promoted).toMatchObject({ status: 200, body: { role: 'admin', name: 'Ben Adams', email: 'ben@example.com' } });
    expect((await call(ADMIN_KEY, 'PATCH', `/v1/users/${ben.id}`, { email: 'Cleo@example.com' })).status).toBe(409);
    expect((await call(ADMIN_KEY, 'PATCH', `/v1/users/${randomUUID()}`, { name: 'Nobody' })).status).toBe(404);
    const audit = await crm.query<{ action: string; changes: unknown; actor_name: string }>("SELECT action, changes, actor_name FROM audit_log WHERE entity = 'user' AND entity_id = $1 ORDER BY id", [ben.id]);
    expect(audit).toEqual([
      { action: 'created', changes: { email: 'ben@example.com', name: 'Ben', role: 'read_only' }, actor_name: 'configured-admin' },
      { action: 'updated', changes: { role: 'admin', name: 'Ben Adams' }, actor_name: 'configured-admin' },
    ]);
  });

  it('deactivates instead of deleting, and reactivates', async () => {
    const dana = await create({ email: 'dana@example.com', name: 'Dana', role: 'sales_rep' });
    expect((await call(ADMIN_KEY, 'DELETE', `/v1/users/${dana.id}`)).status).toBe(204);
    const deactivated = (await call(crm.readOnlyKey, 'GET', `/v1/users/${dana.id}`)).body as User;
    expect(deactivated).toMatchObject({ active: false, deactivatedAt: expect.any(String) });
    expect((await call(ADMIN_KEY, 'DELETE', `/v1/users/${dana.id}`)).status).toBe(404);
    // Deactivated users keep their address: a new user cannot take it.
    expect((await call(ADMIN_KEY, 'POST', '/v1/users', { email: 'dana@example.com', name: 'New Dana', role: 'sales_rep' })).status).toBe(409);
    const active = (await call(ADMIN_KEY, 'GET', '/v1/users?active=true&limit=200')).body as { data: User[] };
    const inactive = (await call(ADMIN_KEY, 'GET', '/v1/users?active=false')).body as { data: User[] };
    expect(active.data.map((user) => user.id)).not.toContain(dana.id);
    expect(inactive.data.map((user) => user.id)).toEqual([dana.id]);
    expect(await call(ADMIN_KEY, 'POST', `/v1/users/${dana.id}/reactivate`)).toMatchObject({ status: 200, body: { active: true, deactivatedAt: null } });
    expect((await call(ADMIN_KEY, 'POST', `/v1/users/${dana.id}/reactivate`)).status).toBe(404);
    const actions = await crm.query<{ action: string }>("SELECT action FROM audit_log WHERE entity = 'user' AND entity_id = $1 ORDER BY id", [dana.id]);
    expect(actions.map((row) => row.action)).toEqual(['created', 'deactivated', 'reactivated']);
  });

  it('lists users by name with filters and cursor pagination', async () => {
    for (const name of ['Pag Zed', 'Pag Amy', 'Pag Max']) await create({ email: `${name.replace(' ', '.').toLowerCase()}@paging.example`, name, role: 'read_only' });
    const first = (await call(crm.readOnlyKey, 'GET', '/v1/users?q=PAGING.example&limit=2')).body as { data: User[]; nextCursor: string };
    expect(first.data.map((user) => user.name)).toEqual(['Pag Amy', 'Pag Max']);
    const second = (await call(crm.readOnlyKey, 'GET', `/v1/users?q=paging.example&limit=2&cursor=${first.nextCursor}`)).body as { data: User[]; nextCursor: string | null };
    expect(second).toEqual({ data: [expect.objectContaining({ name: 'Pag Zed' })], nextCursor: null });
    const admins = (await call(crm.readOnlyKey, 'GET', '/v1/users?role=admin')).body as { data: User[] };
    expect(admins.data.length).toBeGreaterThan(0);
    expect(admins.data.every((user) => user.role === 'admin')).toBe(true);
    // Wildcards in q are searched as text, not patterns.
    expect(((await call(crm.readOnlyKey, 'GET', '/v1/users?q=%25')).body as { data: User[] }).data).toEqual([]);
  });
});

describe('CRM OpenAPI docs, booted as main.ts boots the CRM', () => {
  let running: RunningTestApp;
  let database: IsolatedDatabase;

  beforeAll(async () => {
    database = await createIsolatedDatabase('crm-docs');
    const env = testEnv(CrmEnv, { DATABASE_URL: database.url, KAFKA_BROKERS: testInfrastructure().kafkaBrokers, KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('crm-docs'), CRM_ADMIN_API_KEY: ADMIN_KEY, CRM_SYNC_API_KEY: SYNC_KEY });
    running = await startTestApp('crm', (logger) => CrmModule.forRoot(env, logger), { configureApp: serveCrmOpenApi });
  }, 60_000);

  afterAll(async () => {
    await running?.close();
    await database?.drop();
  });

  it('serves the OpenAPI document without a key, listing the CRM routes with the bearer-key scheme', async () => {
    const response = await fetch(`${running.url}/docs/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { paths: Record<string, Record<string, { tags?: string[] }>>; components: { securitySchemes: Record<string, unknown> }; security: unknown[] };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/contacts', '/v1/contacts/{id}', '/v1/contacts/{id}/restore', '/v1/api-keys', '/internal/v1/enrichment', '/v1/users', '/v1/users/{id}', '/v1/users/{id}/reactivate']),
    );
    expect(document.components.securitySchemes).toEqual({ 'api-key': expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    expect(document.security).toEqual([{ 'api-key': [] }]);
    expect(document.paths['/v1/contacts']?.['get']?.tags).toEqual(['Contacts']);
    expect(JSON.stringify(document.paths['/v1/users']?.['get'])).toContain('"name":"active"');
  });

  it('serves Swagger UI at /docs without a key, while the API itself still needs one', async () => {
    const page = await fetch(`${running.url}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
    expect((await fetch(`${running.url}/v1/contacts`)).status).toBe(401);
  });
});
