import { eventually, startDedicatedKafka, type DedicatedKafka } from '@cds/testing';
import { SyncStack } from './sync-stack.js';

// The Kafka broker restarted under load, with the CDP and the CRM as processes and the sync in-process,
// all on a broker of this test's own (the run's shared broker stays up for every other file). Orders for
// known customers keep coming through the CDP's collection API meanwhile; while the broker is down the
// API answers 503 (or not in time) and the client retries the same message, as a Segment SDK does.
// Afterwards nothing may be lost or counted twice, on either side.

const CUSTOMERS = 12;
const SENDERS = 3;
// Orders accepted before the outage and after it: enough that the load spans the stop and the restart.
const ORDERS_AROUND_OUTAGE = 40;
const REQUEST_TIMEOUT_MS = 5_000;
const SETTLE_MS = 90_000;

interface Order {
  readonly messageId: string;
  readonly customer: number;
  readonly revenue: number;
}

const emailOf = (customer: number): string => `customer-${customer}@restart.example`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends orders round-robin over the customers until stopped; every order is retried until the CDP accepts it. */
class OrderLoad {
  readonly accepted = new Map<string, Order>();
  refusals = 0;
  private next = 0;
  private running = true;
  private readonly senders: Promise<void>[];

  constructor(
    private readonly cdpUrl: string,
    private readonly writeKey: string,
  ) {
    this.senders = Array.from({ length: SENDERS }, () => this.send());
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.senders);
  }

  private async send(): Promise<void> {
    while (this.running) {
      const sequence = this.next++;
      const messageId = `restart-order-${sequence}`;
      const order: Order = { messageId, customer: sequence % CUSTOMERS, revenue: 10 + (sequence % 7) };
      const body = {
        userId: `restart-customer-${order.customer}`,
        event: 'Order Completed',
        messageId,
        properties: { order_id: `order-${sequence}`, revenue: order.revenue, currency: 'EUR' },
        context: { traits: { email: emailOf(order.customer) } },
      };
      // Once sent, an order is retried until accepted, even after stop(): the client never drops an event.
      for (let attempt = 0; !(await this.post(body)); attempt += 1) {
        this.refusals += 1;
        await sleep(Math.min(100 * 2 ** attempt, 2_000));
      }
      this.accepted.set(messageId, order);
    }
  }

  private async post(body: unknown): Promise<boolean> {
    try {
      const response = await fetch(`${this.cdpUrl}/v1/track`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${this.writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      if (response.status !== 200 && response.status !== 503) throw new Error(`the CDP refused an order: ${response.status}`);
      return response.status === 200;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('the CDP refused')) throw error;
      // A timeout or a dropped connection: the order may or may not be in Kafka; resending the same messageId is safe.
      return false;
    }
  }
}

describe('sync across a Kafka broker restart under load', () => {
  let kafka: DedicatedKafka;
  let stack: SyncStack;
  let storeKey: string;
  const contactIds = new Map<number, string>();

  beforeAll(async () => {
    kafka = await startDedicatedKafka('sync-broker-restart');
    stack = await SyncStack.start('broker_restart', { cdp: true, kafkaBrokers: kafka.brokers, childLogLevel: 'error' });
    storeKey = await stack.createSource('store-till', 'pos');
    for (let customer = 0; customer < CUSTOMERS; customer += 1) contactIds.set(customer, await stack.createContact({ email: emailOf(customer), firstName: `Customer ${customer}` }));
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await kafka?.dispose();
  }, 90_000);

  it('loses and duplicates nothing: every accepted order processed once, every contact at the CDP insights', async () => {
    const load = new OrderLoad(stack.cdpUrl, storeKey);
    let lateContactId = '';
    try {
      await eventually(() => load.accepted.size >= ORDERS_AROUND_OUTAGE, 'orders accepted before the outage', 60_000);
      await kafka.stop();
      // While the broker is down a rep keeps working: the contact waits in the CRM's outbox.
      lateContactId = await stack.createContact({ email: 'late@restart.example', firstName: 'Late' });
      const acceptedBeforeOutage = load.accepted.size;
      await eventually(() => load.refusals >= SENDERS, 'the collection API to refuse orders while Kafka is down', 60_000);
      await kafka.restart();
      await eventually(() => load.accepted.size >= acceptedBeforeOutage + ORDERS_AROUND_OUTAGE, 'orders accepted after the restart', SETTLE_MS);
    } finally {
      await load.stop();
    }
    expect(load.refusals).toBeGreaterThan(0);

    for (let customer = 0; customer < CUSTOMERS; customer += 1) {
      const orders = [...load.accepted.values()].filter((order) => order.customer === customer);
      const expected = { orderCount: orders.length, lifetimeValue: orders.reduce((sum, order) => sum + order.revenue, 0) };
      const contactId = contactIds.get(customer) ?? '';
      // The CRM contact ends at exactly the CDP's latest snapshot.
      const { insights, contact } = await eventually(async () => {
        const [current, view] = await Promise.all([stack.insights(`email:${emailOf(customer)}`), stack.contact(contactId)]);
        return current?.snapshot?.insights.orderCount === expected.orderCount && view.enrichmentVersion === current.version ? { insights: current, contact: view } : undefined;
      }, `customer ${customer}'s ${expected.orderCount} orders in the CDP insights and on the CRM contact, at the same version`, SETTLE_MS);
      expect(insights.snapshot?.insights).toMatchObject(expected);
      expect(contact.enrichment).toMatchObject(expected);
      expect(contact.cdpProfileId).toBe(insights.profileId);
      // The CDP stored exactly the accepted orders of this customer: none lost, none twice.
      const stored = (await stack.eventMessageIds(`email:${emailOf(customer)}`)).filter((id) => id.startsWith('restart-order-'));
      expect(stored.sort()).toEqual(orders.map((order) => order.messageId).sort());
    }

    // The CRM's outbox survived the outage: the contact created meanwhile reached the CDP.
    const late = await eventually(() => stack.profile(`crm_contact_id:${lateContactId}`), 'the contact created during the outage to reach the CDP', SETTLE_MS);
    expect(late.identities).toEqual(expect.arrayContaining([{ type: 'email', value: 'late@restart.example' }]));
  }, 600_000);
});
