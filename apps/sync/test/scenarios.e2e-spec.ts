import { eventually } from '@cds/testing';
import { SyncStack } from './sync-stack.js';
import { segmentKeys, type ContactView, type Enrichment } from './views.js';

// The issue's scenarios across the CDP, the CRM and the sync bridge on the real Postgres and Kafka.
// The CDP runs on a controllable clock (CDP_CLOCK=controllable): "two days later" and "72 hours pass"
// are `POST /v1/admin/clock` calls, and events are sent without timestamps, so they happen at the
// CDP's time, as an SDK's events do.

// Browsing content that must stay in the CDP: none of it may appear anywhere in the CRM.
const PRODUCT = { name: 'Alpine Down Parka', sku: 'SKU-PARKA-4711', category: 'Winter Jackets', url: 'https://shop.example/app/p/alpine-down-parka' };
const HOUR = 3_600_000;
const ANA = { email: 'ana.lind@example.com', appAnonymousId: 'app-anon-7f3a9c', appUserId: 'app-user-ana' };

describe('scenarios: one customer from the app, the store and the CRM', () => {
  let stack: SyncStack;
  let appKey: string;
  let storeKey: string;
  let anaContactId: string;
  const segmentNames = new Map<string, string>();

  beforeAll(async () => {
    stack = await SyncStack.start('scenarios', { cdp: { CDP_CLOCK: 'controllable' } });
    [appKey, storeKey] = await Promise.all([stack.createSource('mobile-app', 'app'), stack.createSource('store-till', 'pos')]);
    // The segments of the scenarios, in the CDP's rule language; the discount suppression comes from the CDP's examples.
    await stack.createSegment('winter-jacket-browsers', 'Winter-jacket browsers', {
      event: 'Product Viewed',
      where: [{ property: 'category', op: 'eq', value: PRODUCT.category }],
      count: { op: 'gte', value: 1 },
      within: '7d',
    });
    await stack.createSegment('cart-abandoners', 'Cart abandoners', { event: 'Product Added', within: '7d', notFollowedBy: { event: 'Order Completed', within: '24h' } });
    await stack.createSegment('recent-purchasers', 'Recent purchasers', { event: 'Order Completed', within: '72h' });
    const examples = await stack.cdp('POST', '/v1/segments/examples');
    expect(examples.body).toMatchObject({ created: expect.arrayContaining(['discount-suppression-high-ltv']), existing: expect.arrayContaining(['cart-abandoners', 'recent-purchasers', 'winter-jacket-browsers']) });
    for (const segment of (await stack.cdp('GET', '/v1/segments')).body as unknown as { key: string; name: string }[]) segmentNames.set(segment.key, segment.name);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  const send = async (writeKey: string, route: string, body: unknown): Promise<void> => {
    const answer = await stack.collect(writeKey, route, body);
    expect(answer).toMatchObject({ status: 200, body: { success: true } });
  };
  const contactWhen = (id: string, what: string, test: (enrichment: Enrichment | null, contact: ContactView) => boolean): Promise<ContactView> =>
    eventually(async () => {
      const contact = await stack.contact(id);
      return test(contact.enrichment, contact) ? contact : undefined;
    }, what);
  const profileIdOf = async (reference: string): Promise<string | undefined> => (await stack.profile(reference))?.id;
  const eventCount = async (reference: string): Promise<number> => (await stack.eventMessageIds(reference)).length;
  const summaries = (contact: ContactView): string[] => contact.timeline.map((entry) => entry.summary);
  const entered = (key: string): string => `Entered segment ${segmentNames.get(key)}`;
  const left = (key: string): string => `Left segment ${segmentNames.get(key)}`;

  it('follows an anonymous app shopper into a store purchase two days later: one customer on the CRM contact, no browsing events', async () => {
    // A rep already has the shopper as a contact; the CRM is a source of the CDP.
    anaContactId = await stack.createContact({ email: ANA.email, firstName: 'Ana', lastName: 'Lind' });
    await contactWhen(anaContactId, 'the contact to be linked to its CDP profile', (enrichment, contact) => enrichment !== null && contact.cdpProfileId !== null);

    // Day 0: browsing winter jackets in the app, anonymously, and a parka into the cart.
    const browsedAt = Date.parse((await stack.cdp('GET', '/v1/admin/clock')).body['now'] as string);
    const browsing = { anonymousId: ANA.appAnonymousId, context: { app: { name: 'Shop' }, page: { url: PRODUCT.url } } };
    await send(appKey, '/v1/batch', {
      batch: [
        { type: 'screen', name: PRODUCT.name, ...browsing },
        { type: 'track', event: 'Product Viewed', properties: { ...PRODUCT, price: 249 }, ...browsing },
        { type: 'track', event: 'Product Viewed', properties: { ...PRODUCT, price: 249, variant: 'navy' }, ...browsing },
        { type: 'track', event: 'Product Added', properties: { ...PRODUCT, price: 249, quantity: 1 }, ...browsing },
      ],
    });
    await eventually(async () => (await eventCount(`anonymous_id:${ANA.appAnonymousId}`)) === 4, 'the browsing to be processed');
    expect(segmentKeys((await stack.contact(anaContactId)).enrichment)).toEqual([]);

    // A day later the cart is abandoned ...
    await stack.advanceClock('25h');
    const abandoned = await stack.insights(`anonymous_id:${ANA.appAnonymousId}`);
    expect(abandoned?.snapshot?.segments.map((segment) => segment.key)).toEqual(expect.arrayContaining(['winter-jacket-browsers', 'cart-abandoners']));

    // ... and the shopper signs in to the app with the account email the rep also has. This login is
    // what ties the anonymous app history to the person (an identify with the anonymous id and the
    // account's user id and email, as the app's SDK sends it); the store then finds the same person
    // by the email given at the till for the e-receipt.
    await stack.advanceClock('5h');
    await send(appKey, '/v1/identify', { anonymousId: ANA.appAnonymousId, userId: ANA.appUserId, traits: { email: 'Ana.Lind@Example.com', firstName: 'Ana' } });
    await contactWhen(anaContactId, 'the browsing segments on the contact', (enrichment) => ['winter-jacket-browsers', 'cart-abandoners'].every((key) => segmentKeys(enrichment).includes(key)));

    // Two days after browsing: the purchase in the store. The till knows no account, only the receipt and the email.
    await stack.advanceClock('18h');
    await send(storeKey, '/v1/track', {
      anonymousId: 'till-3-receipt-1001',
      event: 'Order Completed',
      properties: { order_id: 'store-1001', revenue: 180, currency: 'EUR', products: [{ ...PRODUCT, price: 180, quantity: 1 }] },
      context: { traits: { email: ANA.email } },
    });
    const bought = await contactWhen(anaContactId, 'the store purchase on the contact', (enrichment) => enrichment?.orderCount === 1 && !segmentKeys(enrichment).includes('cart-abandoners'));
    expect(bought.enrichment).toMatchObject({ lifetimeValue: 180, orderCount: 1 });
    expect(segmentKeys(bought.enrichment)).toEqual(expect.arrayContaining(['winter-jacket-browsers', 'recent-purchasers']));
    expect(segmentKeys(bought.enrichment)).not.toContain('cart-abandoners');
    // On the CDP's clock the purchase came two days after the browsing.
    const purchasedAt = Date.parse(bought.enrichment?.segments.find((segment) => segment.key === 'recent-purchasers')?.enteredAt ?? '');
    expect(purchasedAt - browsedAt).toBeGreaterThanOrEqual(48 * HOUR);

    // The timeline tells the story as summaries, newest first: browsing segments, then the purchase.
    const story = summaries(bought);
    for (const line of [entered('winter-jacket-browsers'), entered('cart-abandoners'), left('cart-abandoners'), entered('recent-purchasers'), 'LTV 0.00 → 180.00 EUR']) expect(story).toContain(line);
    expect(story.indexOf(left('cart-abandoners'))).toBeLessThan(story.indexOf(entered('cart-abandoners')));
    expect(story.indexOf(entered('recent-purchasers'))).toBeLessThan(story.indexOf(entered('winter-jacket-browsers')));

    // One customer: every identifier leads to the same CDP profile, which the one contact carries.
    const profileId = await profileIdOf(`email:${ANA.email}`);
    for (const reference of [`anonymous_id:${ANA.appAnonymousId}`, 'anonymous_id:till-3-receipt-1001', `user_id:${ANA.appUserId}`, `crm_contact_id:${anaContactId}`]) expect(await profileIdOf(reference)).toBe(profileId);
    expect(bought.cdpProfileId).toBe(profileId);
    expect(((await stack.crm('GET', `/v1/contacts?email=${encodeURIComponent(ANA.email)}`)).body['data'] as unknown[]).length).toBe(1);
  });

  it('keeps every browsing and purchase detail out of the CRM database', async () => {
    const { crmSql } = stack;
    const { rows: tables } = await crmSql.query<{ name: string }>("SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
    expect(tables.length).toBeGreaterThan(3);
    const rowsMentioning = async (needle: string): Promise<string[]> => {
      const found: string[] = [];
      for (const { name } of tables) {
        const { rows } = await crmSql.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t WHERE strpos(lower(t::text), lower($1)) > 0`, [needle]);
        found.push(...rows.map((row) => `${name}: ${row.row}`));
      }
      return found;
    };
    // The scan finds what the CRM does hold ...
    expect((await rowsMentioning(ANA.email)).length).toBeGreaterThan(0);
    // ... and nothing of the events: no product name, SKU, category or page URL.
    for (const needle of [PRODUCT.name, PRODUCT.sku, PRODUCT.category, 'shop.example/app', 'till-3-receipt', 'store-1001']) expect(await rowsMentioning(needle)).toEqual([]);
  });

  it('takes the shopper out of recent purchasers (ad suppression) when 72 hours pass, with no new event', async () => {
    const reference = `email:${ANA.email}`;
    const eventsBefore = await eventCount(reference);
    const before = await stack.contact(anaContactId);
    expect(segmentKeys(before.enrichment)).toContain('recent-purchasers');

    await stack.advanceClock('73h');
    const after = await contactWhen(anaContactId, 'recent purchasers to leave the contact', (enrichment) => !segmentKeys(enrichment).includes('recent-purchasers'));
    expect(summaries(after)[0]).toBe(left('recent-purchasers'));
    expect(after.enrichmentVersion).toBeGreaterThan(before.enrichmentVersion);
    // The browsing window (7 days) has not passed yet, and nothing else changed.
    expect(after.enrichment).toMatchObject({ lifetimeValue: 180, orderCount: 1 });
    expect(segmentKeys(after.enrichment)).toContain('winter-jacket-browsers');
    expect(await eventCount(reference)).toBe(eventsBefore);
  });

  it("shows the discount suppression on a high-value customer's contact", async () => {
    const email = 'hugo.berg@example.com';
    const hugoId = await stack.createContact({ email, firstName: 'Hugo', lastName: 'Berg' });
    await send(storeKey, '/v1/batch', {
      batch: [
        { type: 'track', anonymousId: 'till-1-receipt-2001', event: 'Order Completed', properties: { order_id: 'store-2001', revenue: 350, currency: 'EUR' }, context: { traits: { email } } },
        { type: 'track', anonymousId: 'till-2-receipt-2002', event: 'Order Completed', properties: { order_id: 'store-2002', revenue: 250, currency: 'EUR' }, context: { traits: { email } } },
      ],
    });
    const hugo = await contactWhen(hugoId, 'both orders and the discount suppression on the contact', (enrichment) => enrichment?.orderCount === 2 && segmentKeys(enrichment).includes('discount-suppression-high-ltv'));
    expect(hugo.enrichment).toMatchObject({ lifetimeValue: 600, orderCount: 2 });
    expect(summaries(hugo)).toContain(entered('discount-suppression-high-ltv'));
    // Ana (180) is not high-value.
    expect(segmentKeys((await stack.contact(anaContactId)).enrichment)).not.toContain('discount-suppression-high-ltv');
  });

  it("joins a contact a rep creates to the customer's CDP profile, as the crm source", async () => {
    await send(appKey, '/v1/identify', { userId: 'app-user-cleo', traits: { email: 'cleo.marsh@example.com' } });
    await send(appKey, '/v1/track', { userId: 'app-user-cleo', event: 'Order Completed', properties: { order_id: 'app-3001', revenue: 90, currency: 'EUR' } });
    await eventually(async () => (await stack.insights('user_id:app-user-cleo'))?.snapshot?.insights.orderCount === 1, "Cleo's order in the CDP");

    const cleoId = await stack.createContact({ email: 'Cleo.Marsh@Example.com', firstName: 'Cleo', companyName: 'Nordwind Outdoor' });
    const profile = await eventually(async () => {
      const found = await stack.profile('user_id:app-user-cleo');
      return found?.identities.some((identity) => identity.type === 'crm_contact_id' && identity.value === cleoId) ? found : undefined;
    }, "the CRM contact to join Cleo's profile");
    expect(profile.traitSources['company']?.source).toBe('crm');
    expect(await profileIdOf(`crm_contact_id:${cleoId}`)).toBe(profile.id);
    await eventually(async () => (await stack.insights(`crm_contact_id:${cleoId}`))?.snapshot?.identifiers.crmContactIds.includes(cleoId), 'the insights to carry the CRM contact id');
    const cleo = await contactWhen(cleoId, "Cleo's insights on the new contact", (enrichment) => enrichment?.orderCount === 1);
    expect(cleo.enrichment).toMatchObject({ lifetimeValue: 90 });
    expect(cleo.cdpProfileId).toBe(profile.id);
  });

  it('clears the CRM enrichment when the customer is erased in the CDP', async () => {
    const erased = await stack.cdp('DELETE', `/v1/profiles/${encodeURIComponent(`email:${ANA.email}`)}`);
    expect(erased.status).toBeLessThan(300);
    const cleared = await contactWhen(anaContactId, "the enrichment to leave Ana's contact", (enrichment) => enrichment === null);
    // The rep's own record stays; only what the CDP put there goes.
    expect(cleared).toMatchObject({ email: ANA.email, enrichment: null });
    expect(await stack.profile(`email:${ANA.email}`)).toBeNull();
    expect(await stack.profile(`anonymous_id:${ANA.appAnonymousId}`)).toBeNull();
  });
});
