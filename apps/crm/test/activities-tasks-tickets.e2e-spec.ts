import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { calendarDayIn } from '../src/tasks/task-schedule.js';
import { TaskRemindersScheduler } from '../src/tasks/task-reminders.scheduler.js';
import { CrmHarness, type Answer } from './crm-harness.js';

interface Row {
  id: string;
  [field: string]: unknown;
}
interface Page {
  data: Row[];
  nextCursor: string | null;
}

describe('CRM activities, tasks with reminders and support tickets on real Postgres', () => {
  let crm: CrmHarness;
  let repKey: string;
  let readOnlyKey: string;
  let contactId: string;
  const call = (key: string | null, method: string, path: string, body?: unknown): Promise<Answer> => crm.call(key, method, path, body);
  const created = async (path: string, body: Record<string, unknown>): Promise<Row> => {
    const answer = await call(repKey, 'POST', path, body);
    expect(answer).toMatchObject({ status: 201 });
    return answer.body as Row;
  };
  const page = async (path: string): Promise<Page> => {
    const answer = await call(readOnlyKey, 'GET', path);
    expect(answer.status).toBe(200);
    return answer.body as Page;
  };
  const ids = (rows: readonly Row[]): string[] => rows.map((row) => row.id);
  const messages = (answer: Answer): unknown => (answer.body as { message: unknown }).message;
  const minutesFrom = (instant: Date, minutes: number): string => new Date(instant.getTime() + minutes * 60_000).toISOString();

  beforeAll(async () => {
    crm = await CrmHarness.start('crm-activities');
    ({ repKey, readOnlyKey } = crm);
    contactId = (await created('/v1/contacts', { email: 'jo@example.com', firstName: 'Jo' })).id;
  }, 60_000);

  afterAll(async () => {
    await crm?.stop();
  });

  it('lets read-only keys read but not write, and refuses callers without a key', async () => {
    for (const path of ['/v1/activities', '/v1/tasks', '/v1/tickets', '/v1/tasks/overdue', '/v1/tasks/due-today', '/v1/tasks/reminders']) {
      expect((await call(null, 'GET', path)).status).toBe(401);
      expect((await call(readOnlyKey, 'GET', path)).status).toBe(200);
    }
    const activity = await created('/v1/activities', { kind: 'note', subject: 'Hello', contactId });
    const task = await created('/v1/tasks', { title: 'Call back' });
    const ticket = await created('/v1/tickets', { subject: 'Broken zip' });
    const refusals = [
      call(readOnlyKey, 'POST', '/v1/activities', { kind: 'note', subject: 'x', contactId }),
      call(readOnlyKey, 'PATCH', `/v1/activities/${activity.id}`, { subject: 'x' }),
      call(readOnlyKey, 'DELETE', `/v1/activities/${activity.id}`),
      call(readOnlyKey, 'POST', '/v1/tasks', { title: 'x' }),
      call(readOnlyKey, 'POST', `/v1/tasks/${task.id}/complete`),
      call(readOnlyKey, 'POST', '/v1/tickets', { subject: 'x' }),
      call(readOnlyKey, 'PATCH', `/v1/tickets/${ticket.id}`, { status: 'open' }),
      call(readOnlyKey, 'POST', `/v1/tickets/${ticket.id}/restore`),
    ];
    for (const answer of await Promise.all(refusals)) expect(answer).toMatchObject({ status: 403, body: { message: expect.stringContaining('a read_only key may not do this') } });
    expect((await call(readOnlyKey, 'GET', `/v1/tasks/${task.id}`)).body).toMatchObject({ title: 'Call back', completedAt: null });
  });

  it('refuses bad input with messages that say what is wrong, writing nothing', async () => {
    const before = await crm.query<{ count: string }>('SELECT count(*) FROM activities');
    const bad = await call(repKey, 'POST', '/v1/activities', { kind: 'fax', subject: '', occurredAt: 'yesterday', contactId: 'nope', body: 'x'.repeat(20_001), mood: 'happy' });
    expect(bad.status).toBe(400);
    expect(messages(bad)).toEqual(
      expect.arrayContaining([
        'kind must be one of call, email, meeting, note',
        'subject must not be empty',
        'occurredAt must be an ISO 8601 timestamp with a time zone, such as 2026-12-01T09:00:00Z',
        'contactId must be a UUID',
        'body must be at most 20000 characters',
        'property mood should not exist',
      ]),
    );
    expect(await call(repKey, 'POST', '/v1/activities', { kind: 'email', subject: 'Quote', contactId, durationMinutes: 5 })).toMatchObject({
      status: 400,
      body: { message: 'durationMinutes applies only to calls and meetings, not to emails' },
    });
    const unknownContact = await call(repKey, 'POST', '/v1/activities', { kind: 'call', subject: 'Intro', contactId: randomUUID() });
    expect(unknownContact).toMatchObject({ status: 400, body: { message: expect.stringContaining('names no contact') } });
    expect(await crm.query<{ count: string }>('SELECT count(*) FROM activities')).toEqual(before);

    expect(await call(repKey, 'POST', '/v1/tasks', { title: 'Follow up', dueAt: '2026-12-01T09:00:00Z', remindAt: '2026-12-01T10:00:00Z' })).toMatchObject({
      status: 400,
      body: { message: 'remindAt must be at or before dueAt' },
    });
    expect(messages(await call(repKey, 'POST', '/v1/tasks', { title: 'Local', dueAt: '2026-12-01T09:00:00', priority: 'asap' }))).toEqual([
      'dueAt must be an ISO 8601 timestamp with a time zone, such as 2026-12-01T09:00:00Z',
      'priority must be one of low, normal, high',
    ]);
    expect(messages(await call(repKey, 'POST', '/v1/tickets', { subject: 'x', priority: 'critical' }))).toEqual(['priority must be one of low, normal, high, urgent']);
    expect((await call(repKey, 'GET', '/v1/tickets/not-a-uuid')).status).toBe(400);
    expect((await call(repKey, 'GET', '/v1/tickets?cursor=garbage')).status).toBe(400);
    expect((await call(repKey, 'GET', '/v1/tasks?limit=0')).status).toBe(400);
  });

  it('requires an activity to be about a contact, company or deal, on create and on update', async () => {
    expect(await call(repKey, 'POST', '/v1/activities', { kind: 'note', subject: 'Orphan' })).toMatchObject({
      status: 400,
      body: { message: 'an activity needs at least one of contactId, companyId, dealId' },
    });
    const companyId = randomUUID();
    const activity = await created('/v1/activities', { kind: 'meeting', subject: 'Kick-off', companyId, durationMinutes: 45, occurredAt: '2026-11-20T10:00:00+01:00' });
    expect(activity).toMatchObject({ companyId, contactId: null, dealId: null, durationMinutes: 45, occurredAt: '2026-11-20T09:00:00.000Z', owner: 'rep' });
    expect(await call(repKey, 'PATCH', `/v1/activities/${activity.id}`, { companyId: null })).toMatchObject({ status: 400 });
    const moved = await call(repKey, 'PATCH', `/v1/activities/${activity.id}`, { companyId: null, contactId });
    expect(moved).toMatchObject({ status: 200, body: { companyId: null, contactId } });
    const trail = await crm.query<{ action: string; actor_name: string }>("SELECT action, actor_name FROM audit_log WHERE entity = 'activity' AND entity_id = $1 ORDER BY id", [activity.id]);
    expect(trail).toEqual([
      { action: 'created', actor_name: 'rep' },
      { action: 'updated', actor_name: 'rep' },
    ]);
  });

  it('lists activities newest first with filters, and pages through them with cursors', async () => {
    const dealId = randomUUID();
    const times = ['2026-11-01T10:00:00Z', '2026-11-03T10:00:00Z', '2026-11-02T10:00:00Z', '2026-11-03T10:00:00Z', '2026-11-04T10:00:00Z'];
    const rows: Row[] = [];
    for (const [index, occurredAt] of times.entries()) rows.push(await created('/v1/activities', { kind: index === 0 ? 'call' : 'email', subject: `Deal note ${index}`, dealId, occurredAt }));
    const seen: Row[] = [];
    let cursor: string | null = null;
    do {
      const current: Page = await page(`/v1/activities?dealId=${dealId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...current.data);
      cursor = current.nextCursor;
    } while (cursor);
    expect(seen.map((row) => row['occurredAt'])).toEqual([...times].sort().reverse().map((time) => new Date(time).toISOString()));
    expect(new Set(ids(seen))).toEqual(new Set(ids(rows)));
    expect(ids((await page(`/v1/activities?dealId=${dealId}&kind=call`)).data)).toEqual([rows[0]?.id]);
    expect((await page(`/v1/activities?dealId=${dealId}&owner=someone-else`)).data).toEqual([]);
  });

  it('soft-deletes and restores activities, tasks and tickets', async () => {
    const records = [
      { path: '/v1/activities', row: await created('/v1/activities', { kind: 'note', subject: 'Temp', contactId }) },
      { path: '/v1/tasks', row: await created('/v1/tasks', { title: 'Temp', contactId }) },
      { path: '/v1/tickets', row: await created('/v1/tickets', { subject: 'Temp', contactId }) },
    ];
    for (const { path, row } of records) {
      expect((await call(repKey, 'DELETE', `${path}/${row.id}`)).status).toBe(204);
      expect((await call(readOnlyKey, 'GET', `${path}/${row.id}`)).status).toBe(404);
      expect(ids((await page(`${path}?contactId=${contactId}`)).data)).not.toContain(row.id);
      expect((await call(repKey, 'DELETE', `${path}/${row.id}`)).status).toBe(404);
      expect(await call(repKey, 'POST', `${path}/${row.id}/restore`)).toMatchObject({ status: 200, body: { id: row.id, deletedAt: null } });
      expect(ids((await page(`${path}?contactId=${contactId}`)).data)).toContain(row.id);
      expect((await call(repKey, 'POST', `${path}/${row.id}/restore`)).status).toBe(404);
    }
    const actions = await crm.query<{ action: string }>('SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id', [records[1]?.row.id]);
    expect(actions.map((entry) => entry.action)).toEqual(['created', 'deleted', 'restored']);
  });

  it('lists overdue and due-today tasks of an owner in their time zone, and completes and reopens them', async () => {
    const owner = `owner-${randomUUID()}`;
    const now = new Date();
    const berlinDay = calendarDayIn('Europe/Berlin', now);
    const task = (title: string, dueAt: string): Promise<Row> => created('/v1/tasks', { title, owner, dueAt });
    const yesterday = await task('yesterday', minutesFrom(berlinDay.start, -60));
    const earlierToday = await task('earlier today', minutesFrom(now, -1));
    const laterToday = await task('later today', minutesFrom(berlinDay.end, -1));
    const tomorrow = await task('tomorrow', minutesFrom(berlinDay.end, 60));
    await created('/v1/tasks', { title: 'no due date', owner });
    const done = await task('done', minutesFrom(now, -2));
    expect((await call(repKey, 'POST', `/v1/tasks/${done.id}/complete`)).body).toMatchObject({ completedAt: expect.any(String), overdue: false });

    const overdue = await page(`/v1/tasks/overdue?owner=${owner}`);
    expect(ids(overdue.data)).toEqual([yesterday.id, earlierToday.id]);
    expect(overdue.data.every((row) => row['overdue'] === true)).toBe(true);
    const today = await page(`/v1/tasks/due-today?owner=${owner}&timezone=Europe/Berlin`);
    // "earlier today" is due a minute ago, which is still today in Berlin unless the test runs in the first minute of the day.
    const expectedToday = new Date(minutesFrom(now, -1)) >= berlinDay.start ? [earlierToday.id, laterToday.id] : [laterToday.id];
    expect(ids(today.data)).toEqual(expectedToday);
    expect(ids(today.data)).not.toContain(tomorrow.id);
    expect(await call(readOnlyKey, 'GET', '/v1/tasks/due-today?timezone=Europe/Atlantis')).toMatchObject({
      status: 400,
      body: { message: 'timezone must be an IANA time zone such as Europe/Berlin; Europe/Atlantis is not one' },
    });

    await call(repKey, 'POST', `/v1/tasks/${yesterday.id}/complete`);
    expect(ids((await page(`/v1/tasks/overdue?owner=${owner}`)).data)).toEqual([earlierToday.id]);
    expect((await call(repKey, 'POST', `/v1/tasks/${yesterday.id}/reopen`)).body).toMatchObject({ completedAt: null, overdue: true });
    expect(ids((await page(`/v1/tasks/overdue?owner=${owner}&limit=1`)).data)).toEqual([yesterday.id]);
    expect(ids((await page(`/v1/tasks?owner=${owner}&completed=true`)).data)).toEqual([done.id]);
  });

  it('sends due reminders once, onto the linked contact timeline, and re-arms a moved reminder', async () => {
    const now = new Date();
    const due = await created('/v1/tasks', { title: 'Send the quote', contactId, dueAt: minutesFrom(now, 60), remindAt: minutesFrom(now, -5) });
    const later = await created('/v1/tasks', { title: 'Check in', contactId, dueAt: minutesFrom(now, 120), remindAt: minutesFrom(now, 90) });
    const unlinked = await created('/v1/tasks', { title: 'Internal', remindAt: minutesFrom(now, -1) });
    const pending = ids((await page('/v1/tasks/reminders')).data);
    expect(pending).toEqual(expect.arrayContaining([due.id, unlinked.id]));
    expect(pending).not.toContain(later.id);
    expect(ids((await page(`/v1/tasks/reminders?before=${encodeURIComponent(minutesFrom(now, 100))}`)).data)).toContain(later.id);

    const scheduler = crm.running.app.get(TaskRemindersScheduler);
    await scheduler.runDue();
    await scheduler.runDue();
    const timeline = await crm.query<{ summary: string; detail: { taskId: string } }>("SELECT summary, detail FROM contact_timeline WHERE contact_id = $1 AND kind = 'reminder'", [contactId]);
    expect(timeline).toEqual([{ summary: expect.stringContaining('Reminder for rep: Send the quote'), detail: expect.objectContaining({ taskId: due.id }) }]);
    expect((await call(readOnlyKey, 'GET', `/v1/contacts/${contactId}`)).body).toMatchObject({ timeline: expect.arrayContaining([expect.objectContaining({ kind: 'reminder' })]) });
    expect((await call(readOnlyKey, 'GET', `/v1/tasks/${due.id}`)).body).toMatchObject({ remindedAt: expect.any(String) });
    expect(ids((await page('/v1/tasks/reminders')).data)).not.toContain(due.id);

    expect((await call(repKey, 'PATCH', `/v1/tasks/${due.id}`, { remindAt: minutesFrom(now, -1) })).body).toMatchObject({ remindedAt: null });
    await scheduler.runDue();
    const after = await crm.query<{ count: string }>("SELECT count(*) FROM contact_timeline WHERE contact_id = $1 AND kind = 'reminder'", [contactId]);
    expect(after).toEqual([{ count: '2' }]);
  });

  it('moves tickets only along allowed transitions, stamping when they were solved', async () => {
    const ticket = await created('/v1/tickets', { subject: 'Order never arrived', contactId, priority: 'urgent', assignee: 'sam' });
    expect(ticket).toMatchObject({ status: 'new', solvedAt: null });
    const move = (status: string): Promise<Answer> => call(repKey, 'PATCH', `/v1/tickets/${ticket.id}`, { status });
    expect((await move('open')).body).toMatchObject({ status: 'open' });
    expect(await move('new')).toMatchObject({ status: 409, body: { message: 'a ticket cannot go from open to new; allowed: pending, solved, closed', allowedStatuses: ['pending', 'solved', 'closed'] } });
    expect((await move('solved')).body).toMatchObject({ status: 'solved', solvedAt: expect.any(String) });
    expect((await move('open')).body).toMatchObject({ status: 'open', solvedAt: null });
    await move('solved');
    expect((await move('closed')).body).toMatchObject({ status: 'closed', solvedAt: expect.any(String) });
    expect(await move('open')).toMatchObject({ status: 409, body: { message: 'a ticket cannot go from closed to open; closed is final', allowedStatuses: [] } });
    expect((await call(readOnlyKey, 'GET', `/v1/tickets/${ticket.id}`)).body).toMatchObject({ status: 'closed' });
    const actions = await crm.query<{ action: string }>('SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id', [ticket.id]);
    expect(actions.map((entry) => entry.action)).toEqual(['created', 'status:open', 'status:solved', 'status:open', 'status:solved', 'status:closed']);
  });

  it('lists tickets newest first by status, priority, assignee and contact, page by page', async () => {
    const assignee = `agent-${randomUUID()}`;
    const rows: Row[] = [];
    for (let index = 0; index < 5; index++) rows.push(await created('/v1/tickets', { subject: `Ticket ${index}`, assignee, priority: index % 2 === 0 ? 'high' : 'low' }));
    await call(repKey, 'PATCH', `/v1/tickets/${rows[0]?.id}`, { status: 'pending' });
    const seen: Row[] = [];
    let cursor: string | null = null;
    do {
      const current: Page = await page(`/v1/tickets?assignee=${assignee}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(current.data.length).toBeLessThanOrEqual(2);
      seen.push(...current.data);
      cursor = current.nextCursor;
    } while (cursor);
    expect(ids(seen)).toEqual(ids(rows).reverse());
    expect(ids((await page(`/v1/tickets?assignee=${assignee}&priority=high`)).data)).toEqual([rows[4]?.id, rows[2]?.id, rows[0]?.id]);
    expect(ids((await page(`/v1/tickets?assignee=${assignee}&status=pending`)).data)).toEqual([rows[0]?.id]);
    expect((await page(`/v1/tickets?contactId=${randomUUID()}`)).data).toEqual([]);
  });
});
