import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ADMIN_KEY, CrmHarness } from './crm-harness.js';

interface Stage {
  id: string;
  name: string;
  position: number;
  probability: number;
  kind: string;
}
interface Pipeline {
  id: string;
  name: string;
  stages: Stage[];
}
interface Deal {
  id: string;
  name: string;
  pipelineId: string;
  stageId: string;
  stageName: string;
  amount: string;
  currency: string;
  expectedCloseDate: string | null;
  owner: string | null;
  closedAt: string | null;
  deletedAt: string | null;
  stageHistory?: { fromStageName: string | null; toStageName: string | null; actorName: string }[];
}

describe('CRM deals in pipelines, and sales reports, on real Postgres', () => {
  let crm: CrmHarness;
  let repKey: string;
  let readOnlyKey: string;
  let sales: Pipeline;
  const call: CrmHarness['call'] = (key, method, path, body) => crm.call(key, method, path, body);
  const stageOf = (pipeline: Pipeline, name: string): Stage => pipeline.stages.find((stage) => stage.name === name) as Stage;
  const createPipeline = async (name: string, stages: unknown[]): Promise<Pipeline> => {
    const { status, body } = await call(ADMIN_KEY, 'POST', '/v1/pipelines', { name, stages });
    expect(status).toBe(201);
    return body as Pipeline;
  };
  const createDeal = async (fields: Record<string, unknown>): Promise<Deal> => {
    const { status, body } = await call(repKey, 'POST', '/v1/deals', { currency: 'EUR', ...fields });
    expect(status).toBe(201);
    return body as Deal;
  };
  const moveDeal = async (deal: Deal, stage: Stage): Promise<Deal> => {
    const { status, body } = await call(repKey, 'PATCH', `/v1/deals/${deal.id}`, { stageId: stage.id });
    expect(status).toBe(200);
    return body as Deal;
  };
  const twoStages = (prefix: string): unknown[] => [
    { name: `${prefix} open`, probability: 0.4 },
    { name: `${prefix} won`, probability: 1, kind: 'won' },
    { name: `${prefix} lost`, probability: 0, kind: 'lost' },
  ];

  beforeAll(async () => {
    crm = await CrmHarness.start('crm-deals');
    ({ repKey, readOnlyKey } = crm);
    sales = ((await call(readOnlyKey, 'GET', '/v1/pipelines')).body as Pipeline[])[0] as Pipeline;
  }, 60_000);

  afterAll(async () => {
    await crm?.stop();
  });

  it('seeds the Sales pipeline with its ordered stages, readable by every reader role', async () => {
    expect(sales.name).toBe('Sales');
    expect(sales.stages.map((stage) => [stage.name, stage.position, stage.kind])).toEqual([
      ['Lead', 0, 'open'],
      ['Qualified', 1, 'open'],
      ['Proposal', 2, 'open'],
      ['Negotiation', 3, 'open'],
      ['Won', 4, 'won'],
      ['Lost', 5, 'lost'],
    ]);
    expect((await call(null, 'GET', '/v1/pipelines')).status).toBe(401);
    expect((await call(repKey, 'GET', '/v1/pipelines')).status).toBe(200);
  });

  it('lets only admins create pipelines, and only with distinct stage names and an open stage', async () => {
    const stages = [{ name: 'Intro', probability: 0.2 }];
    expect((await call(repKey, 'POST', '/v1/pipelines', { name: 'Rep pipeline', stages })).status).toBe(403);
    expect((await call(readOnlyKey, 'POST', '/v1/pipelines', { name: 'Viewer pipeline', stages })).status).toBe(403);
    const noOpen = await call(ADMIN_KEY, 'POST', '/v1/pipelines', { name: 'Closed only', stages: [{ name: 'Won', probability: 1, kind: 'won' }] });
    expect(noOpen).toMatchObject({ status: 400, body: { message: 'a pipeline needs at least one open stage' } });
    const twice = await call(ADMIN_KEY, 'POST', '/v1/pipelines', { name: 'Twice', stages: [...stages, { name: 'intro', probability: 0.3 }] });
    expect(twice).toMatchObject({ status: 400, body: { message: expect.stringContaining('stage names must be distinct') } });
    const badProbability = await call(ADMIN_KEY, 'POST', '/v1/pipelines', { name: 'Odds', stages: [{ name: 'Intro', probability: 1.5, kind: 'maybe' }] });
    expect(badProbability.status).toBe(400);
    expect((badProbability.body as { message: string[] }).message).toEqual(expect.arrayContaining(['stages.0.probability must be between 0 and 1', 'stages.0.kind must be one of open, won, lost']));
    expect((await call(ADMIN_KEY, 'POST', '/v1/pipelines', { name: 'sales', stages })).status).toBe(409);
    const created = await createPipeline('Renewals', [...stages, { name: 'Renewed', probability: 1, kind: 'won' }]);
    expect(created.stages.map((stage) => [stage.name, stage.position, stage.probability, stage.kind])).toEqual([
      ['Intro', 0, 0.2, 'open'],
      ['Renewed', 1, 1, 'won'],
    ]);
    const audit = await crm.query<{ action: string; actor_name: string }>("SELECT action, actor_name FROM audit_log WHERE entity = 'pipeline' AND entity_id = $1", [created.id]);
    expect(audit).toEqual([{ action: 'created', actor_name: expect.any(String) }]);
  });

  it('reorders and renames stages, and refuses to remove a stage that still has deals', async () => {
    const partners = await createPipeline('Partners', [
      { name: 'Contacted', probability: 0.1 },
      { name: 'Pilot', probability: 0.5 },
      { name: 'Signed', probability: 1, kind: 'won' },
    ]);
    const [contacted, pilot, signed] = partners.stages as [Stage, Stage, Stage];
    await createDeal({ name: 'Pilot with Acme', pipelineId: partners.id, stageId: pilot.id });
    const path = `/v1/pipelines/${partners.id}`;
    const withoutPilot = [{ id: contacted.id, name: 'Contacted', probability: 0.1 }, { id: signed.id, name: 'Signed', probability: 1, kind: 'won' }];
    const refused = await call(ADMIN_KEY, 'PATCH', path, { stages: withoutPilot });
    expect(refused).toMatchObject({ status: 409, body: { message: 'stage "Pilot" still has 1 deal(s): move them to another stage before removing it' } });
    expect((await call(repKey, 'PATCH', path, { name: 'Mine' })).status).toBe(403);

    const reordered = await call(ADMIN_KEY, 'PATCH', path, {
      name: 'Partner deals',
      stages: [
        { id: pilot.id, name: 'Paid pilot', probability: 0.6 },
        { name: 'Workshop', probability: 0.3 },
        { id: signed.id, name: 'Signed', probability: 1, kind: 'won' },
      ],
    });
    expect(reordered.status).toBe(200);
    const after = reordered.body as Pipeline;
    expect(after.name).toBe('Partner deals');
    expect(after.stages.map((stage) => [stage.name, stage.position, stage.probability])).toEqual([
      ['Paid pilot', 0, 0.6],
      ['Workshop', 1, 0.3],
      ['Signed', 2, 1],
    ]);
    expect(after.stages[0]?.id).toBe(pilot.id);
    // Contacted had no deals, so it went; a stage of another pipeline is no stage of this one.
    const foreign = await call(ADMIN_KEY, 'PATCH', path, { stages: [{ id: stageOf(sales, 'Lead').id, name: 'Lead', probability: 0.1 }] });
    expect(foreign).toMatchObject({ status: 400, body: { message: expect.stringContaining('is not a stage of this pipeline') } });
    expect((await call(ADMIN_KEY, 'PATCH', `/v1/pipelines/${randomUUID()}`, { name: 'Ghost' })).status).toBe(404);
  });

  it('creates deals in the first open stage of the Sales pipeline by default, and refuses bad input', async () => {
    const deal = await createDeal({ name: '  Acme renewal ', amount: 1200.5, currency: 'usd', expectedCloseDate: '2031-05-10', owner: 'ana' });
    expect(deal).toMatchObject({ name: 'Acme renewal', pipelineId: sales.id, stageName: 'Lead', amount: '1200.50', currency: 'USD', expectedCloseDate: '2031-05-10', closedAt: null });
    const bad = await call(repKey, 'POST', '/v1/deals', { name: 'Bad', amount: -1, currency: 'EURO', expectedCloseDate: '2031-02-30', probability: 1 });
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string[] }).message).toEqual(
      expect.arrayContaining([
        'amount must not be negative',
        'currency must be an ISO 4217 code such as EUR',
        'expectedCloseDate must be a date such as 2026-03-31',
        'property probability should not exist',
      ]),
    );
    expect((await call(repKey, 'POST', '/v1/deals', { name: 'No money', currency: 'EUR', amount: 10.001 })).status).toBe(400);
    expect((await call(repKey, 'POST', '/v1/deals', { name: 'Null amount', currency: 'EUR', amount: null })).status).toBe(400);
    const ghostContact = await call(repKey, 'POST', '/v1/deals', { name: 'Ghost', currency: 'EUR', contactId: randomUUID() });
    expect(ghostContact).toMatchObject({ status: 400, body: { message: expect.stringContaining('no contact with id') } });
    const partners = ((await call(readOnlyKey, 'GET', '/v1/pipelines')).body as Pipeline[]).find((pipeline) => pipeline.name === 'Partner deals') as Pipeline;
    const crossed = await call(repKey, 'POST', '/v1/deals', { name: 'Crossed', currency: 'EUR', pipelineId: sales.id, stageId: partners.stages[0]?.id });
    expect(crossed).toMatchObject({ status: 400, body: { message: expect.stringContaining('belongs to another pipeline') } });
    expect((await call(readOnlyKey, 'POST', '/v1/deals', { name: 'Viewer deal', currency: 'EUR' })).status).toBe(403);
    expect(await crm.query("SELECT id FROM deals WHERE name IN ('Bad', 'No money', 'Null amount', 'Ghost', 'Crossed', 'Viewer deal')")).toEqual([]);
  });

  it('moves a deal through its stages with a history, closes it on won or lost, and reopens it', async () => {
    const contact = (await call(repKey, 'POST', '/v1/contacts', { email: 'buyer@example.com' })).body as { id: string };
    const deal = await createDeal({ name: 'Bigco expansion', amount: 5000, contactId: contact.id, owner: 'ben' });
    await moveDeal(deal, stageOf(sales, 'Proposal'));
    const won = await moveDeal(deal, stageOf(sales, 'Won'));
    expect(won.closedAt).not.toBeNull();
    const partners = ((await call(readOnlyKey, 'GET', '/v1/pipelines')).body as Pipeline[]).find((pipeline) => pipeline.name === 'Partner deals') as Pipeline;
    const foreign = await call(repKey, 'PATCH', `/v1/deals/${deal.id}`, { stageId: partners.stages[0]?.id });
    expect(foreign).toMatchObject({ status: 400, body: { message: expect.stringContaining('belongs to another pipeline') } });
    expect((await call(repKey, 'PATCH', `/v1/deals/${deal.id}`, { pipelineId: partners.id })).status).toBe(400);
    expect((await call(repKey, 'PATCH', `/v1/deals/${deal.id}`, { name: null })).status).toBe(400);

    const fetched = (await call(readOnlyKey, 'GET', `/v1/deals/${deal.id}`)).body as Deal;
    expect(fetched.stageName).toBe('Won');
    expect(fetched.stageHistory?.map((change) => [change.fromStageName, change.toStageName, change.actorName])).toEqual([
      [null, 'Lead', 'rep'],
      ['Lead', 'Proposal', 'rep'],
      ['Proposal', 'Won', 'rep'],
    ]);
    const reopened = await moveDeal(deal, stageOf(sales, 'Negotiation'));
    expect(reopened.closedAt).toBeNull();
    const audit = await crm.query<{ action: string; changes: Record<string, unknown> }>("SELECT action, changes FROM audit_log WHERE entity = 'deal' AND entity_id = $1 ORDER BY id", [deal.id]);
    expect(audit.map((entry) => entry.action)).toEqual(['created', 'updated', 'updated', 'updated']);
    expect(audit[3]?.changes).toEqual({ stage: { from: 'Won', to: 'Negotiation' } });
  });

  it('soft-deletes and restores deals, writers only', async () => {
    const deal = await createDeal({ name: 'Short-lived' });
    expect((await call(readOnlyKey, 'DELETE', `/v1/deals/${deal.id}`)).status).toBe(403);
    expect((await call(repKey, 'DELETE', `/v1/deals/${deal.id}`)).status).toBe(204);
    expect((await call(readOnlyKey, 'GET', `/v1/deals/${deal.id}`)).status).toBe(404);
    expect((await call(repKey, 'PATCH', `/v1/deals/${deal.id}`, { amount: 1 })).status).toBe(404);
    const restored = await call(repKey, 'POST', `/v1/deals/${deal.id}/restore`);
    expect(restored).toMatchObject({ status: 200, body: { id: deal.id, deletedAt: null } });
    expect((await call(repKey, 'POST', `/v1/deals/${deal.id}/restore`)).status).toBe(404);
    const actions = await crm.query<{ action: string }>("SELECT action FROM audit_log WHERE entity = 'deal' AND entity_id = $1 ORDER BY id", [deal.id]);
    expect(actions.map((entry) => entry.action)).toEqual(['created', 'deleted', 'restored']);
  });

  it('lists deals with filters, sorts and stable cursors', async () => {
    const pipeline = await createPipeline('Paging', twoStages('Paging'));
    const amounts = [300, 100, 500, 200, 400];
    for (const [index, amount] of amounts.entries()) await createDeal({ name: `Page ${amount}`, pipelineId: pipeline.id, amount, expectedCloseDate: `2032-0${index + 1}-15`, owner: 'pager' });
    await createDeal({ name: 'Page undated', pipelineId: pipeline.id, amount: 50 });
    const all = async (query: string): Promise<string[]> => {
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const answer = await call(readOnlyKey, 'GET', `/v1/deals?pipelineId=${pipeline.id}&limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(answer.status).toBe(200);
        const page = answer.body as { data: Deal[]; nextCursor: string | null };
        names.push(...page.data.map((deal) => deal.name));
        cursor = page.nextCursor;
      } while (cursor);
      return names;
    };
    expect(await all('sort=-amount')).toEqual(['Page 500', 'Page 400', 'Page 300', 'Page 200', 'Page 100', 'Page undated']);
    expect(await all('sort=expectedCloseDate')).toEqual(['Page 300', 'Page 100', 'Page 500', 'Page 200', 'Page 400', 'Page undated']);
    expect(await all('sort=-expectedCloseDate')).toEqual(['Page 400', 'Page 200', 'Page 500', 'Page 100', 'Page 300', 'Page undated']);
    expect(await all('sort=createdAt&closingAfter=2032-01-15&closingBefore=2032-05-15')).toEqual(['Page 100', 'Page 500', 'Page 200']);
    expect(await all(`stageId=${pipeline.stages[1]?.id}`)).toEqual([]);
    expect(await all('owner=nobody')).toEqual([]);
    expect((await call(readOnlyKey, 'GET', '/v1/deals?cursor=garbage')).status).toBe(400);
    const amountCursor = ((await call(readOnlyKey, 'GET', `/v1/deals?pipelineId=${pipeline.id}&limit=1&sort=amount`)).body as { nextCursor: string }).nextCursor;
    expect((await call(readOnlyKey, 'GET', `/v1/deals?sort=createdAt&cursor=${amountCursor}`)).status).toBe(400);
    expect((await call(readOnlyKey, 'GET', '/v1/deals?sort=name')).status).toBe(400);
    expect((await call(readOnlyKey, 'GET', '/v1/deals?closingBefore=soon')).status).toBe(400);
  });

  it('reports a pipeline per stage: count, amount per currency and amount weighted by probability', async () => {
    const pipeline = await createPipeline('Forecast', [
      { name: 'Early', probability: 0.25 },
      { name: 'Late', probability: 0.333 },
      { name: 'Done', probability: 1, kind: 'won' },
    ]);
    const [early, late] = pipeline.stages as [Stage, Stage, Stage];
    await createDeal({ name: 'F1', pipelineId: pipeline.id, stageId: early.id, amount: 1000 });
    await createDeal({ name: 'F2', pipelineId: pipeline.id, stageId: early.id, amount: 99.99, currency: 'USD' });
    await createDeal({ name: 'F3', pipelineId: pipeline.id, stageId: late.id, amount: 333.33 });
    const gone = await createDeal({ name: 'F4', pipelineId: pipeline.id, stageId: late.id, amount: 1 });
    await call(repKey, 'DELETE', `/v1/deals/${gone.id}`);
    const report = await call(readOnlyKey, 'GET', `/v1/reports/pipeline?pipelineId=${pipeline.id}`);
    expect(report.status).toBe(200);
    expect(report.body).toEqual({
      pipeline: { id: pipeline.id, name: 'Forecast' },
      stages: [
        {
          stageId: early.id,
          name: 'Early',
          position: 0,
          kind: 'open',
          probability: 0.25,
          count: 2,
          totals: [
            { currency: 'EUR', amount: '1000.00', weightedAmount: '250.00' },
            { currency: 'USD', amount: '99.99', weightedAmount: '25.00' },
          ],
        },
        { stageId: late.id, name: 'Late', position: 1, kind: 'open', probability: 0.333, count: 1, totals: [{ currency: 'EUR', amount: '333.33', weightedAmount: '111.00' }] },
        { stageId: pipeline.stages[2]?.id, name: 'Done', position: 2, kind: 'won', probability: 1, count: 0, totals: [] },
      ],
    });
    expect(((await call(readOnlyKey, 'GET', '/v1/reports/pipeline')).body as { pipeline: { name: string } }).pipeline.name).toBe('Sales');
    expect((await call(readOnlyKey, 'GET', `/v1/reports/pipeline?pipelineId=${randomUUID()}`)).status).toBe(404);
  });

  it('reports the win rate of deals closed in a period, per owner and overall', async () => {
    const pipeline = await createPipeline('Win rate', twoStages('WR'));
    const [open, won, lost] = pipeline.stages as [Stage, Stage, Stage];
    const close = async (owner: string | null, stage: Stage, closedAt: string): Promise<void> => {
      const deal = await createDeal({ name: `WR ${owner}`, pipelineId: pipeline.id, owner });
      await moveDeal(deal, stage);
      await crm.query('UPDATE deals SET closed_at = $2 WHERE id = $1', [deal.id, closedAt]);
    };
    await close('ana', won, '2025-01-01T00:00:00Z');
    await close('ana', won, '2025-01-31T23:59:59Z');
    await close('ana', lost, '2025-01-15T12:00:00Z');
    await close('ben', lost, '2025-01-10T12:00:00Z');
    await close(null, won, '2025-01-20T12:00:00Z');
    await close('ana', lost, '2025-02-01T00:00:00Z');
    await close('ana', open, '2025-01-20T00:00:00Z');
    const report = await call(readOnlyKey, 'GET', '/v1/reports/win-rate?from=2025-01-01&to=2025-01-31');
    expect(report).toMatchObject({
      status: 200,
      body: {
        from: '2025-01-01',
        to: '2025-01-31',
        overall: { won: 3, lost: 2, winRate: 0.6 },
        owners: [
          { owner: 'ana', won: 2, lost: 1, winRate: 0.6667 },
          { owner: 'ben', won: 0, lost: 1, winRate: 0 },
          { owner: null, won: 1, lost: 0, winRate: 1 },
        ],
      },
    });
    expect((await call(readOnlyKey, 'GET', '/v1/reports/win-rate?from=2025-02-01&to=2025-01-01')).status).toBe(400);
    expect((await call(readOnlyKey, 'GET', '/v1/reports/win-rate?from=yesterday')).status).toBe(400);
    // A deal won just now falls in the default period (the last 30 days).
    await moveDeal(await createDeal({ name: 'WR today', pipelineId: pipeline.id, owner: 'today' }), won);
    expect(((await call(readOnlyKey, 'GET', '/v1/reports/win-rate')).body as { owners: unknown[] }).owners).toContainEqual({ owner: 'today', won: 1, lost: 0, winRate: 1 });
  });

  it('reports the open deals expected to close in a month, this month by default', async () => {
    const pipeline = await createPipeline('Closing', twoStages('Closing'));
    await createDeal({ name: 'May first', pipelineId: pipeline.id, amount: 10, expectedCloseDate: '2033-05-01' });
    await createDeal({ name: 'May last', pipelineId: pipeline.id, amount: 20.5, expectedCloseDate: '2033-05-31' });
    await createDeal({ name: 'June', pipelineId: pipeline.id, amount: 40, expectedCloseDate: '2033-06-01' });
    await createDeal({ name: 'April', pipelineId: pipeline.id, amount: 80, expectedCloseDate: '2033-04-30' });
    await createDeal({ name: 'May won', pipelineId: pipeline.id, stageId: pipeline.stages[1]?.id, amount: 160, expectedCloseDate: '2033-05-15' });
    const report = (await call(readOnlyKey, 'GET', '/v1/reports/deals-closing?month=2033-05')).body as { from: string; before: string; deals: { name: string }[]; totals: unknown[] };
    expect(report.deals.map((deal) => deal.name)).toEqual(['May first', 'May last']);
    expect(report).toMatchObject({ from: '2033-05-01', before: '2033-06-01', totals: [{ currency: 'EUR', amount: '30.50', weightedAmount: '12.20' }] });
    const thisMonth = new Date().toISOString().slice(0, 7);
    expect((await call(readOnlyKey, 'GET', '/v1/reports/deals-closing')).body).toMatchObject({ month: thisMonth });
    expect((await call(readOnlyKey, 'GET', '/v1/reports/deals-closing?month=2033-13')).status).toBe(400);
  });

  it('reports overdue open tasks per owner', async () => {
    expect(await call(readOnlyKey, 'GET', '/v1/reports/tasks-overdue')).toEqual({ status: 200, body: [] });
    await crm.query(
      `INSERT INTO tasks (title, owner, due_at, completed_at, deleted_at) VALUES
       ('a1', 'ana', now() - interval '1 day', NULL, NULL), ('a2', 'ana', now() - interval '2 days', NULL, NULL), ('b1', 'ben', now() - interval '1 hour', NULL, NULL),
       ('b2', 'ben', now() - interval '1 day', now(), NULL), ('b3', 'ben', now() - interval '1 day', NULL, now()), ('c1', 'cy', now() + interval '1 day', NULL, NULL)`,
    );
    expect((await call(readOnlyKey, 'GET', '/v1/reports/tasks-overdue')).body).toEqual([
      { owner: 'ana', overdue: 2 },
      { owner: 'ben', overdue: 1 },
    ]);
  });

  it('reports the top contacts by LTV with their currency, and live contacts per segment', async () => {
    const contact = async (email: string, ltv: number | null, segments: string[], currency = 'EUR'): Promise<string> => {
      const id = ((await call(repKey, 'POST', '/v1/contacts', { email })).body as { id: string }).id;
      const enrichment = ltv === null ? null : JSON.stringify({ currency, lifetimeValue: ltv });
      await crm.query('UPDATE contacts SET enrichment = $2::jsonb, segment_keys = $3 WHERE id = $1', [id, enrichment, segments]);
      return id;
    };
    const top = await contact('top@example.com', 9000, ['high-value', 'loyal']);
    const second = await contact('second@example.com', 800.5, ['high-value'], 'USD');
    await contact('third@example.com', 100, ['loyal']);
    await contact('none@example.com', null, ['loyal']);
    const gone = await contact('gone@example.com', 99999, ['high-value', 'lapsed']);
    await call(repKey, 'DELETE', `/v1/contacts/${gone}`);

    const ranking = await call(readOnlyKey, 'GET', '/v1/reports/top-contacts-by-ltv?limit=2');
    expect(ranking).toMatchObject({
      status: 200,
      body: [
        { id: top, email: 'top@example.com', ltv: '9000.00', currency: 'EUR' },
        { id: second, email: 'second@example.com', ltv: '800.50', currency: 'USD' },
      ],
    });
    expect((await call(readOnlyKey, 'GET', '/v1/reports/top-contacts-by-ltv?limit=0')).status).toBe(400);
    expect((await call(readOnlyKey, 'GET', '/v1/reports/contacts-per-segment')).body).toEqual([
      { segment: 'loyal', contacts: 3 },
      { segment: 'high-value', contacts: 2 },
    ]);
    expect((await call(null, 'GET', '/v1/reports/contacts-per-segment')).status).toBe(401);
  });
});
