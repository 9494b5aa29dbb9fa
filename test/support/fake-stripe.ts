import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'qs';
import Stripe from 'stripe';

export interface StripeCall {
  method: string;
  path: string;
  form: Record<string, any>;
  idempotencyKey: string | null;
  /** The connected account a platform call acts on (`Stripe-Account`), if any. */
  account: string | null;
}

type Obj = Record<string, any>;

/**
 * The parts of Stripe's HTTP API that billing uses (https://docs.stripe.com/api), on loopback:
 * POST /v1/customers, POST /v1/checkout/sessions, POST /v1/billing_portal/sessions and
 * GET /v1/subscriptions/:id, and billing meters (GET /v1/billing/meters, POST /v1/billing/meter_events with
 * Stripe's identifier deduplication, GET /v1/billing/meters/:id/event_summaries aggregating a
 * customer's events between two instants: `sum` or `last`), with form-encoded bodies (the SDK's `a[b][c]=` nesting), Stripe's
 * error shape for an unknown key or object, and idempotency keys replaying the first answer.
 * For customer invoices on connected accounts (the `Stripe-Account` header): POST /v1/prices
 * (with `product_data`), POST /v1/payment_links and POST /v1/payment_links/:id (deactivation).
 * The test drives what Stripe would do on its side (`completeCheckout`, `updateSubscription`,
 * `payPaymentLink`) and builds webhook events signed like Stripe signs them (`signed`).
 */
export async function fakeStripe(apiKey: string, webhookSecret: string) {
  const calls: StripeCall[] = [];
  const customers = new Map<string, Obj>();
  const sessions = new Map<string, Obj>();
  const subscriptions = new Map<string, Obj>();
  const idempotent = new Map<string, Obj>();
  const prices = new Map<string, Obj>();
  const paymentLinks = new Map<string, Obj>();
  /** Meters by event name (`sum` aggregation), and every meter event accepted, in order. */
  const meters = new Map<string, Obj>();
  const meterEvents: Obj[] = [];
  let down = false;
  /** Meter events to accept and then answer with a 500, as if the response were lost on the way back. */
  let responsesToLose = 0;
  const id = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`;
  const now = () => Math.floor(Date.now() / 1000);

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, message: string, type = 'invalid_request_error') => send(res, status, { error: { type, message } });
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => resolve(body));
      req.on('error', reject);
    });

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const form = parse(await read(req), { depth: 10 }) as Record<string, any>;
      if (down) return error(res, 500, 'The fake Stripe is down', 'api_error');
      if (req.headers.authorization !== `Bearer ${apiKey}`) return error(res, 401, `Invalid API Key provided: ${String(req.headers.authorization).slice(7, 15)}…`);
      const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
      const account = typeof req.headers['stripe-account'] === 'string' ? req.headers['stripe-account'] : null;
      calls.push({ method: req.method ?? 'GET', path: url.pathname, form, idempotencyKey, account });
      const replay = idempotencyKey ? idempotent.get(`${account ?? ''}:${url.pathname}:${idempotencyKey}`) : undefined;
      if (replay) return send(res, 200, replay);
      const answer = (body: Obj) => {
        if (idempotencyKey) idempotent.set(`${account ?? ''}:${url.pathname}:${idempotencyKey}`, body);
        send(res, 200, body);
      };
      if (req.method === 'POST' && url.pathname === '/v1/customers') {
        const customer = { id: id('cus'), object: 'customer', created: now(), name: form.name ?? null, metadata: form.metadata ?? {}, livemode: false };
        customers.set(customer.id, customer);
        return answer(customer);
      }
      if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
        if (!customers.has(form.customer)) return error(res, 400, `No such customer: '${form.customer}'`);
        if (form.mode !== 'subscription' || !Array.isArray(form.line_items) || !form.line_items[0]?.price) return error(res, 400, 'line_items[0][price] and mode=subscription are required');
        const session = {
          id: id('cs_test'),
          object: 'checkout.session',
          mode: form.mode,
          customer: form.customer,
          client_reference_id: form.client_reference_id ?? null,
          subscription: null as string | null,
          status: 'open',
          url: `https://checkout.stripe.test/c/pay/${id('cs')}`,
          success_url: form.success_url,
          cancel_url: form.cancel_url,
          metadata: form.metadata ?? {},
          subscription_data: form.subscription_data ?? {},
          line_items: form.line_items,
        };
        sessions.set(session.id, session);
        return answer(session);
      }
      if (req.method === 'POST' && url.pathname === '/v1/billing_portal/sessions') {
        if (!customers.has(form.customer)) return error(res, 400, `No such customer: '${form.customer}'`);
        return answer({ id: id('bps'), object: 'billing_portal.session', customer: form.customer, return_url: form.return_url, url: `https://billing.stripe.test/p/session/${id('bps')}` });
      }
      if (req.method === 'POST' && url.pathname === '/v1/prices') {
        const amount = Number(form.unit_amount);
        if (!/^[a-z]{3}$/.test(form.currency ?? '') || !Number.isInteger(amount) || amount < 0) return error(res, 400, 'currency and a whole unit_amount are required');
        if (!form.product && !form.product_data?.name) return error(res, 400, 'product or product_data[name] is required');
        const price = { id: id('price'), object: 'price', currency: form.currency, unit_amount: amount, product: form.product ?? id('prod'), metadata: form.metadata ?? {}, account };
        prices.set(price.id, price);
        return answer(price);
      }
      if (req.method === 'POST' && url.pathname === '/v1/payment_links') {
        const price = prices.get(form.line_items?.[0]?.price);
        if (!price || price.account !== account) return error(res, 400, `No such price: '${form.line_items?.[0]?.price}'`);
        const linkId = id('plink');
        const link = {
          id: linkId,
          object: 'payment_link',
          active: true,
          url: `https://buy.stripe.test/${linkId}`,
          metadata: form.metadata ?? {},
          payment_intent_data: form.payment_intent_data ?? {},
          restrictions: form.restrictions ?? null,
          line_items: form.line_items,
          account,
        };
        paymentLinks.set(link.id, link);
        return answer(link);
      }
      const plink = /^\/v1\/payment_links\/([A-Za-z0-9_]+)$/.exec(url.pathname);
      if (req.method === 'POST' && plink) {
        const link = paymentLinks.get(plink[1]!);
        if (!link || link.account !== account) return error(res, 404, `No such payment_link: '${plink[1]}'`);
        if (form.active !== undefined) link.active = form.active === 'true';
        return answer(structuredClone(link));
      }
      if (req.method === 'GET' && url.pathname === '/v1/billing/meters') {
        return send(res, 200, { object: 'list', url: '/v1/billing/meters', has_more: false, data: [...meters.values()] });
      }
      if (req.method === 'POST' && url.pathname === '/v1/billing/meter_events') {
        const meter = meters.get(form.event_name);
        if (!meter) return error(res, 400, `No active meter was found matching event_name ${String(form.event_name)}.`);
        const customer = form.payload?.stripe_customer_id;
        if (!customers.has(customer)) return error(res, 400, `No such customer: '${String(customer)}'`);
        const value = Number(form.payload?.value);
        if (!Number.isFinite(value)) return error(res, 400, 'payload[value] must be a number');
        const identifier = typeof form.identifier === 'string' ? form.identifier : id('mev');
        if (meterEvents.some((e) => e.identifier === identifier)) return error(res, 400, `An event with identifier ${identifier} already exists.`);
        const timestamp = form.timestamp ? Number(form.timestamp) : now();
        if (timestamp < now() - 35 * 86_400 || timestamp > now() + 300) return error(res, 400, 'timestamp must be within the past 35 days and at most 5 minutes in the future');
        const event = { object: 'billing.meter_event', created: now(), event_name: form.event_name, identifier, livemode: false, payload: form.payload, timestamp };
        meterEvents.push(event);
        if (responsesToLose > 0) {
          responsesToLose -= 1;
          return error(res, 500, 'The response was lost', 'api_error');
        }
        return answer(event);
      }
      const summaries = /^\/v1\/billing\/meters\/([A-Za-z0-9_]+)\/event_summaries$/.exec(url.pathname);
      if (req.method === 'GET' && summaries) {
        const meter = [...meters.values()].find((m) => m.id === summaries[1]);
        if (!meter) return error(res, 404, `No such billing meter: '${summaries[1]}'`);
        const query = parse(url.search.slice(1)) as Record<string, string>;
        const start = Number(query.start_time);
        const end = Number(query.end_time);
        if (!query.customer || !Number.isInteger(start) || !Number.isInteger(end) || start % 60 !== 0 || end % 60 !== 0) return error(res, 400, 'customer, and start_time and end_time on minute boundaries, are required');
        const events = meterEvents.filter((e) => e.event_name === meter.event_name && e.payload.stripe_customer_id === query.customer && e.timestamp >= start && e.timestamp < end);
        // `last`: the value of the latest event (by timestamp, then arrival); `sum`: the sum.
        const latest = [...events].sort((a, b) => a.timestamp - b.timestamp).at(-1);
        const aggregated = meter.default_aggregation.formula === 'last' ? Number(latest?.payload.value ?? 0) : events.reduce((sum, e) => sum + Number(e.payload.value), 0);
        const data = [{ id: id('mtrusg'), object: 'billing.meter_event_summary', aggregated_value: aggregated, start_time: start, end_time: end, livemode: false, meter: meter.id }];
        return send(res, 200, { object: 'list', url: url.pathname, has_more: false, data });
      }
      const sub = /^\/v1\/subscriptions\/([A-Za-z0-9_]+)$/.exec(url.pathname);
      if (req.method === 'GET' && sub) {
        const found = subscriptions.get(sub[1]!);
        return found ? send(res, 200, found) : error(res, 404, `No such subscription: '${sub[1]}'`);
      }
      return error(res, 404, `Unrecognized request URL (${req.method}: ${url.pathname}).`);
    })().catch((e: unknown) => error(res, 500, String(e), 'api_error'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const subscriptionObject = (customer: string, price: string, metadata: Obj, status: string): Obj => {
    const start = now();
    return {
      id: id('sub'),
      object: 'subscription',
      customer,
      status,
      metadata,
      trial_end: status === 'trialing' ? start + 14 * 86_400 : null,
      items: { object: 'list', data: [{ id: id('si'), object: 'subscription_item', price: { id: price, object: 'price' }, quantity: 1, current_period_start: start, current_period_end: start + 30 * 86_400 }] },
    };
  };

  let eventSeq = 0;
  return {
    url,
    calls,
    customers,
    subscriptions,
    paymentLinks,
    prices,
    /**
     * What Stripe does when the customer pays through a payment link: the Checkout Session it
     * creates, completed, as the `checkout.session.completed` event of the connected account,
     * carrying the link's metadata. `amount` overrides what was paid (a tampered or stale link).
     */
    payPaymentLink(urlOrId: string, options: { amount?: number } = {}): Obj {
      const link = [...paymentLinks.values()].find((l) => l.url === urlOrId || l.id === urlOrId);
      if (!link) throw new Error(`no payment link ${urlOrId}`);
      if (!link.active) throw new Error(`payment link ${link.id} is not active`);
      const price = prices.get(link.line_items[0].price)!;
      const session = {
        id: id('cs_test'),
        object: 'checkout.session',
        mode: 'payment',
        payment_link: link.id,
        payment_status: 'paid',
        status: 'complete',
        amount_total: options.amount ?? price.unit_amount,
        currency: price.currency,
        payment_intent: id('pi'),
        metadata: { ...link.metadata },
      };
      return { ...this.event('checkout.session.completed', session), account: link.account };
    },
    meterEvents,
    /** A meter aggregating the `value` of events named `eventName` per customer (as set up in Stripe's dashboard): their sum, or the last. */
    defineMeter(eventName: string, formula: 'sum' | 'last' = 'sum') {
      const meter = { id: id('mtr'), object: 'billing.meter', event_name: eventName, status: 'active', default_aggregation: { formula }, customer_mapping: { event_payload_key: 'stripe_customer_id', type: 'by_id' }, value_settings: { event_payload_key: 'value' } };
      meters.set(eventName, meter);
      return meter;
    },
    /** What Stripe does when the customer pays: the subscription exists, and the event to deliver. */
    completeCheckout(sessionUrlOrId: string, status = 'active') {
      const session = [...sessions.values()].find((s) => s.url === sessionUrlOrId || s.id === sessionUrlOrId);
      if (!session) throw new Error(`no session ${sessionUrlOrId}`);
      const subscription = subscriptionObject(session.customer, session.line_items[0].price, session.subscription_data.metadata ?? {}, status);
      subscriptions.set(subscription.id, subscription);
      session.subscription = subscription.id;
      session.status = 'complete';
      return { subscription, event: this.event('checkout.session.completed', { ...session }) };
    },
    /** A change on Stripe's side (status, price); returns the current object. */
    updateSubscription(subId: string, change: { status?: string; price?: string }) {
      const subscription = subscriptions.get(subId)!;
      if (change.status) subscription.status = change.status;
      if (change.price) subscription.items.data[0].price = { id: change.price, object: 'price' };
      return structuredClone(subscription);
    },
    /** An event as Stripe sends it; `created` defaults to now. */
    event(type: string, object: Obj, created = now()): Obj {
      eventSeq += 1;
      return { id: `evt_${eventSeq}_${randomBytes(6).toString('hex')}`, object: 'event', api_version: '2025-01-01', created, livemode: false, pending_webhooks: 1, type, data: { object: structuredClone(object) } };
    },
    /** The body and Stripe-Signature header for an event, signed with the endpoint secret (or another), at a timestamp. */
    signed(event: Obj, options: { secret?: string; timestamp?: number } = {}) {
      const payload = JSON.stringify(event);
      const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? webhookSecret, timestamp: options.timestamp ?? now() });
      return { payload, header };
    },
    /** The next `n` meter events are recorded but answered with a 500. */
    loseResponses(n: number) {
      responsesToLose = n;
    },
    setDown(value: boolean) {
      down = value;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type FakeStripe = Awaited<ReturnType<typeof fakeStripe>>;
