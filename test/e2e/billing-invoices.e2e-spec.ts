import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { asTenantRole, client, expectProblem, expectStatus, http, RANDOM_UUID } from '../support/http';
import { fakeStripe, type FakeStripe } from '../support/fake-stripe';
import { startApi, startWorker, waitFor, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';

const API_KEY = 'sk_test_switchboard_invoices';
const WEBHOOK_SECRET = 'whsec_switchboard_invoices';
/** Stripe gives the Connect endpoint (events of connected accounts) a secret of its own. */
const CONNECT_WEBHOOK_SECRET = 'whsec_switchboard_connect';
const ACME_ACCOUNT = 'acct_acmePlumbing01';
const GLOBEX_ACCOUNT = 'acct_globexHeating02';
/** A 1×1 PNG: the tenant's logo. */
const LOGO = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const YEAR = new Date().getUTCFullYear();

interface Mail {
  to: string;
  subject: string;
  text: string;
  attachments?: { filename: string; contentType: string; content: string; encoding?: string }[];
}

/** What was mailed to one address (the development mailer appends to DATA_DIR/mail/outbox.jsonl). */
function mailTo(address: string): Mail[] {
  const file = join(process.env.E2E_DATA_DIR!, 'mail', 'outbox.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Mail)
    .filter((m) => m.to === address);
}

/** The PDF's text (poppler's pdftotext) and whether its first page rasterises to something other than white (pdftoppm). */
function readPdf(pdf: Buffer): { text: string; pages: number; inkedPixels: number } {
  const dir = mkdtempSync(join(tmpdir(), 'invoice-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    execFileSync('pdftoppm', ['-gray', '-r', '40', '-f', '1', '-l', '1', file, join(dir, 'page')]);
    const pgm = readFileSync(join(dir, execFileSync('ls', [dir], { encoding: 'utf8' }).split('\n').find((f) => f.endsWith('.pgm'))!));
    // Binary PGM: "P5\n<w> <h>\n<max>\n" then one byte per pixel.
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 50).toString('latin1'))!;
    const pixels = pgm.subarray(header[0].length);
    expect(pixels.length).toBe(Number(header[1]) * Number(header[2]));
    const inkedPixels = pixels.filter((p) => p < 128).length;
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    return { text, pages, inkedPixels };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Customer invoices end to end: a completed job drafted by the worker, gapless numbers under
 * concurrent finalisations, the PDF (read back with poppler), the email with the PDF and a Stripe
 * payment link on the tenant's connected account (fake Stripe, real SDK), payment through a
 * signed webhook (replays change nothing), by hand, voids, credit notes, two tenants, bad input.
 */
describe('customer invoices', () => {
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let stripe: FakeStripe;
  let acme: TenantSession;
  let globex: TenantSession;
  let c: ReturnType<typeof client>;

  const webhook = (event: Record<string, unknown>) => {
    const { payload, header } = stripe.signed(event, { secret: CONNECT_WEBHOOK_SECRET });
    return http(api.url, 'POST', '/v1/billing/stripe/webhook', { headers: { 'content-type': 'application/json', 'stripe-signature': header }, body: payload });
  };
  const get = async (t: TenantSession, id: string) => expectStatus(await c.get(`/v1/invoices/${id}`, t.headers('viewer')), 200);
  const line = (description: string, quantity: string | number, unitPrice: number, taxRateBp = 2000) => ({ description, quantity, unitPrice, taxRateBp });

  async function contact(t: TenantSession, name: string, withEmail = true): Promise<{ id: string; email: string; addressId: string }> {
    const email = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@example.test`;
    const created = expectStatus(await c.post('/v1/contacts', { name, emails: withEmail ? [email] : [] }, t.headers('agent')), 201);
    const address = expectStatus(await c.post(`/v1/contacts/${created.id}/addresses`, { label: 'Home', street: '1 Main St', city: 'Springfield', country: 'US' }, t.headers('agent')), 201);
    return { id: created.id, email, addressId: address.id };
  }
  const draft = async (t: TenantSession, contactId: string, lines = [line('Inspection', 1, 5000)]) =>
    expectStatus(await c.post('/v1/invoices', { contactId, currency: 'EUR', lines }, t.headers('agent')), 201);

  beforeAll(async () => {
    stripe = await fakeStripe(API_KEY, WEBHOOK_SECRET);
    const stripeEnv = { STRIPE_SECRET_KEY: API_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_WEBHOOK_SECRET, STRIPE_API_URL: stripe.url };
    api = await startApi(stripeEnv);
    worker = await startWorker({ ...stripeEnv, OUTBOX_POLL_MS: '50' });
    c = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
    expectStatus(await c.put('/v1/billing/invoice-settings', { stripeAccountId: ACME_ACCOUNT, address: '1 Pipe Lane, Vienna', taxId: 'ATU12345678', footer: 'IBAN AT61 1904 3002 3457 3201', logo: LOGO, dueDays: 14 }, acme.headers('owner')), 200);
    expectStatus(await c.put('/v1/billing/invoice-settings', { stripeAccountId: GLOBEX_ACCOUNT, address: null, taxId: null, footer: null, dueDays: 30 }, globex.headers('owner')), 200);
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await stripe?.stop();
  });

  let jobInvoiceId: string;
  let customer: { id: string; email: string; addressId: string };

  it('drafts an invoice from a completed job’s line items on the worker, once, for the job’s customer', async () => {
    customer = await contact(acme, 'Grete');
    const service = expectStatus(await c.post('/v1/field-service/services', { name: 'Circulation pump', pricingType: 'fixed', unitPrice: 24999, currency: 'EUR', taxRateBp: 2000 }, acme.headers('admin')), 201);
    const job = expectStatus(await c.post('/v1/field-service/jobs', { contactId: customer.id, addressId: customer.addressId, title: 'Pump replacement' }, acme.headers('agent')), 201);
    expectStatus(await c.post(`/v1/field-service/jobs/${job.id}/line-items`, { serviceId: service.id }, acme.headers('agent')), 201);
    expectStatus(await c.post(`/v1/field-service/jobs/${job.id}/line-items`, { description: 'Labour', quantity: 0.333, unitPrice: 9000, taxRateBp: 1000, currency: 'EUR' }, acme.headers('agent')), 201);
    const completed = expectStatus(await c.post(`/v1/field-service/jobs/${job.id}/complete`, {}, acme.headers('agent')), 200);

    const page = await waitFor(async () => {
      const found = expectStatus(await c.get(`/v1/invoices?jobId=${job.id}`, acme.headers('viewer')), 200);
      return found.data.length > 0 ? found : undefined;
    }, 'the job’s draft invoice', 30_000);
    expect(page.data).toHaveLength(1);
    const invoice = page.data[0];
    jobInvoiceId = invoice.id;
    expect(invoice).toMatchObject({ kind: 'invoice', status: 'draft', number: null, contactId: customer.id, jobId: job.id, currency: 'EUR', memo: 'Job: Pump replacement' });
    expect(invoice.lines).toEqual([
      { position: 0, description: 'Circulation pump', quantity: '1', unitPrice: 24999, taxRateBp: 2000, serviceId: service.id, subtotal: 24999, tax: 5000, total: 29999 },
      // 0.333 × 90.00 = 29.97; 10 % tax = 2.997 → 3.00 (half-up, per line)
      { position: 1, description: 'Labour', quantity: '0.333', unitPrice: 9000, taxRateBp: 1000, serviceId: null, subtotal: 2997, tax: 300, total: 3297 },
    ]);
    expect({ subtotal: invoice.subtotal, tax: invoice.tax, total: invoice.total }).toEqual(completed.totals && { subtotal: completed.totals.subtotal, tax: completed.totals.tax, total: completed.totals.total });
    expect(invoice.total).toBe(33296);

    // The other tenant sees nothing of it.
    expectProblem(await c.get(`/v1/invoices/${invoice.id}`, globex.headers('owner')), 404, 'not-found');
    expect(expectStatus(await c.get(`/v1/invoices?jobId=${job.id}`, globex.headers('owner')), 200).data).toEqual([]);
    const drafted = expectStatus(await c.get('/v1/audit-logs?action=billing.invoice_drafted', acme.headers('owner')), 200).data;
    expect(drafted.filter((a: { entityId: string }) => a.entityId === invoice.id)).toHaveLength(1);
  });

  it('edits a draft under its version; finalising numbers it and freezes it', async () => {
    const before = await get(acme, jobInvoiceId);
    const lines = [...before.lines.map((l: Record<string, unknown>) => ({ description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, taxRateBp: l.taxRateBp, serviceId: l.serviceId })), line('Call-out fee', 1, 150, 500)];
    const edited = expectStatus(await c.put(`/v1/invoices/${jobInvoiceId}/lines`, { lines, version: before.version }, acme.headers('agent')), 200);
    // 1.50 at 5 % = 0.075 → 0.08
    expect(edited.lines[2]).toMatchObject({ subtotal: 150, tax: 8, total: 158 });
    expect(edited).toMatchObject({ total: 33296 + 158, version: before.version + 1 });
    expectProblem(await c.put(`/v1/invoices/${jobInvoiceId}/lines`, { lines, version: before.version }, acme.headers('agent')), 409, 'version-conflict');

    const final = expectStatus(await c.post(`/v1/invoices/${jobInvoiceId}/finalise`, {}, acme.headers('agent')), 200);
    expect(final).toMatchObject({ status: 'open', number: `INV-${YEAR}-000001`, amountDue: 33454 });
    expect(Date.parse(final.dueAt) - Date.parse(final.issuedAt)).toBe(14 * 86_400_000);
    expectProblem(await c.post(`/v1/invoices/${jobInvoiceId}/finalise`, {}, acme.headers('agent')), 409, 'invoice-status-conflict');
    const frozen = expectProblem(await c.put(`/v1/invoices/${jobInvoiceId}/lines`, { lines, version: final.version }, acme.headers('agent')), 409, 'invoice-not-draft');
    expect(frozen.detail).toContain('credit note');
  });

  it('numbers concurrent finalisations without gaps or repeats, per tenant', async () => {
    const someone = await contact(acme, 'Hans');
    const drafts = await Promise.all(Array.from({ length: 8 }, () => draft(acme, someone.id)));
    const other = await draft(globex, (await contact(globex, 'Gina')).id);
    const results = await Promise.all([...drafts.map((d) => c.post(`/v1/invoices/${d.id}/finalise`, {}, acme.headers('agent'))), c.post(`/v1/invoices/${other.id}/finalise`, {}, globex.headers('agent'))]);
    const numbers = results.slice(0, 8).map((r) => expectStatus(r, 200).number as string);
    expect([...numbers].sort()).toEqual(Array.from({ length: 8 }, (_, i) => `INV-${YEAR}-${String(i + 2).padStart(6, '0')}`));
    expect(expectStatus(results[8]!, 200).number).toBe(`INV-${YEAR}-000001`);
    // Finalising the same draft twice at once: one number, one refusal.
    const again = await draft(acme, someone.id);
    const twice = await Promise.all([0, 1].map(() => c.post(`/v1/invoices/${again.id}/finalise`, {}, acme.headers('agent'))));
    expect(twice.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await get(acme, again.id)).number).toBe(`INV-${YEAR}-000010`);
  });

  it('sends the invoice: an email with the PDF and a Stripe payment link on the tenant’s connected account', async () => {
    expectProblem(await c.post(`/v1/invoices/${(await draft(acme, customer.id)).id}/send`, {}, acme.headers('agent')), 409, 'invoice-status-conflict');
    const sent = expectStatus(await c.post(`/v1/invoices/${jobInvoiceId}/send`, {}, acme.headers('agent')), 200);
    expect(sent).toMatchObject({ status: 'sent', sentTo: customer.email, paymentUrl: expect.stringMatching(/^https:\/\/buy\.stripe\.test\/plink_/) });

    const linkCall = stripe.calls.find((call) => call.path === '/v1/payment_links')!;
    expect(linkCall).toMatchObject({ account: ACME_ACCOUNT, form: { metadata: { tenant_id: acme.tenant.id, invoice_id: jobInvoiceId }, payment_intent_data: { metadata: { invoice_id: jobInvoiceId } }, restrictions: { completed_sessions: { limit: '1' } } } });
    expect(stripe.calls.find((call) => call.path === '/v1/prices')).toMatchObject({ account: ACME_ACCOUNT, form: { currency: 'eur', unit_amount: '33454' } });

    const [mail] = mailTo(customer.email);
    expect(mail!.subject).toBe(`Invoice INV-${YEAR}-000001 from ${acme.tenant.name}`);
    expect(mail!.text).toContain(`Pay online: ${sent.paymentUrl}`);
    expect(mail!.text).toContain('€334.54');
    const attachment = mail!.attachments![0]!;
    expect(attachment).toMatchObject({ filename: `INV-${YEAR}-000001.pdf`, contentType: 'application/pdf', encoding: 'base64' });
    const pdf = readPdf(Buffer.from(attachment.content, 'base64'));
    expect(pdf.pages).toBe(1);
    expect(pdf.inkedPixels).toBeGreaterThan(500);
    for (const text of [acme.tenant.name, '1 Pipe Lane, Vienna', 'ATU12345678', 'Grete', customer.email, `INV-${YEAR}-000001`, 'Circulation pump', 'Labour', '0.333', '€249.99', '€29.97', '€281.46', '€53.08', '€334.54', 'Amount due', 'IBAN AT61']) {
      expect(pdf.text).toContain(text);
    }
    expect(pdf.text.replace(/\s+/g, '')).toContain(sent.paymentUrl.replace(/\s+/g, ''));

    // The same document over HTTP; sending again re-sends with the same link (no second link).
    const res = await fetch(`${api.url}/v1/invoices/${jobInvoiceId}/pdf`, { headers: acme.headers('viewer') });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(readPdf(Buffer.from(await res.arrayBuffer())).text).toContain('€334.54');
    expect(expectStatus(await c.post(`/v1/invoices/${jobInvoiceId}/send`, {}, acme.headers('agent')), 200).paymentUrl).toBe(sent.paymentUrl);
    expect(stripe.calls.filter((call) => call.path === '/v1/payment_links')).toHaveLength(1);
    expect(mailTo(customer.email)).toHaveLength(2);
  });

  it('is paid through the signed Stripe webhook once; replays and payments that do not fit change nothing', async () => {
    const invoice = await get(acme, jobInvoiceId);
    const event = stripe.payPaymentLink(invoice.paymentUrl);
    // Not the tenant's account, or not the amount due: acknowledged, nothing changes.
    expect(expectStatus(await webhook({ ...event, id: `${event.id}_x`, account: GLOBEX_ACCOUNT }), 200)).toEqual({ received: true, applied: false, reason: 'not from the tenant’s connected account' });
    const short = stripe.payPaymentLink(invoice.paymentUrl, { amount: 100 });
    expect(expectStatus(await webhook(short), 200)).toMatchObject({ applied: false, reason: expect.stringContaining('paid 100 eur') });
    expect((await get(acme, jobInvoiceId)).status).toBe('sent');
    // A forged body, or a signature under a secret of neither endpoint: 400.
    expectProblem(await http(api.url, 'POST', '/v1/billing/stripe/webhook', { headers: { 'content-type': 'application/json', 'stripe-signature': stripe.signed(event, { secret: 'whsec_other' }).header }, body: stripe.signed(event).payload }), 400, 'webhook-signature-invalid');
    const { header } = stripe.signed(event, { secret: CONNECT_WEBHOOK_SECRET });
    expectProblem(await http(api.url, 'POST', '/v1/billing/stripe/webhook', { headers: { 'content-type': 'application/json', 'stripe-signature': header }, body: JSON.stringify({ ...event, id: 'evt_forged' }) }), 400, 'webhook-signature-invalid');

    expect(expectStatus(await webhook(event), 200)).toEqual({ received: true, applied: true, reason: null });
    const paid = await get(acme, jobInvoiceId);
    expect(paid).toMatchObject({ status: 'paid', paymentMethod: 'stripe', paymentReference: expect.stringMatching(/^pi_/), amountDue: 0 });
    expect(expectStatus(await webhook(event), 200)).toEqual({ received: true, applied: false, reason: 'duplicate event' });
    expect(await get(acme, jobInvoiceId)).toEqual(paid);
    const audit = expectStatus(await c.get('/v1/audit-logs?action=billing.invoice_paid', acme.headers('owner')), 200).data;
    expect(audit.filter((a: { entityId: string }) => a.entityId === jobInvoiceId)).toHaveLength(1);
    expectProblem(await c.post(`/v1/invoices/${jobInvoiceId}/mark-paid`, { method: 'cash' }, acme.headers('agent')), 409, 'invoice-status-conflict');
    expectProblem(await c.post(`/v1/invoices/${jobInvoiceId}/void`, {}, acme.headers('agent')), 409, 'invoice-status-conflict');
  });

  it('corrects a finalised invoice with credit notes referencing it, never more than it asked for', async () => {
    const note = expectStatus(await c.post(`/v1/invoices/${jobInvoiceId}/credit-notes`, { reason: 'Call-out fee waived', lines: [line('Call-out fee', 1, 150, 500)] }, acme.headers('agent')), 201);
    expect(note).toMatchObject({ kind: 'credit_note', status: 'draft', creditedInvoiceId: jobInvoiceId, contactId: customer.id, currency: 'EUR', subtotal: -150, tax: -8, total: -158, memo: 'Call-out fee waived' });
    const finalNote = expectStatus(await c.post(`/v1/invoices/${note.id}/finalise`, {}, acme.headers('agent')), 200);
    expect(finalNote.number).toBe(`CN-${YEAR}-000001`);
    expect((await get(acme, jobInvoiceId)).credited).toBe(-158);
    // The rest of the invoice, then one cent more: 422.
    const whole = expectStatus(await c.post(`/v1/invoices/${jobInvoiceId}/credit-notes`, { reason: 'Everything' }, acme.headers('agent')), 201);
    expect(whole.total).toBe(-33454);
    expectProblem(await c.post(`/v1/invoices/${whole.id}/finalise`, {}, acme.headers('agent')), 422, 'credit-exceeds-invoice');
    expectStatus(await c.post(`/v1/invoices/${whole.id}/void`, { reason: 'too much' }, acme.headers('agent')), 200);

    // The credit note goes out as a PDF too, and is never "paid".
    const sentNote = expectStatus(await c.post(`/v1/invoices/${note.id}/send`, {}, acme.headers('agent')), 200);
    expect(sentNote.paymentUrl).toBeNull();
    const mail = mailTo(customer.email).find((m) => m.subject.startsWith('Credit note'))!;
    const text = readPdf(Buffer.from(mail.attachments![0]!.content, 'base64')).text;
    expect(text).toContain(`CN-${YEAR}-000001`);
    expect(text).toContain(`Credits invoice INV-${YEAR}-000001`);
    expect(text).toContain('-€1.58');
    expectProblem(await c.post(`/v1/invoices/${note.id}/mark-paid`, { method: 'cash' }, acme.headers('agent')), 409, 'invoice-status-conflict');
    expectProblem(await c.post(`/v1/invoices/${(await draft(acme, customer.id)).id}/credit-notes`, { reason: 'x' }, acme.headers('agent')), 409, 'invoice-status-conflict');
    const list = expectStatus(await c.get('/v1/invoices?kind=credit_note&limit=1', acme.headers('viewer')), 200);
    expect(list.data).toHaveLength(1);
    expect(list.nextCursor).toEqual(expect.any(String));
    const next = expectStatus(await c.get(`/v1/invoices?kind=credit_note&limit=1&cursor=${list.nextCursor}`, acme.headers('viewer')), 200);
    expect(next.data[0].id).not.toBe(list.data[0].id);
  });

  it('records a payment by hand and voids an unpaid invoice (its payment link is deactivated)', async () => {
    const hand = await draft(acme, customer.id, [line('Annual service', 1, 12000, 2000)]);
    expectStatus(await c.post(`/v1/invoices/${hand.id}/finalise`, {}, acme.headers('agent')), 200);
    const paid = expectStatus(await c.post(`/v1/invoices/${hand.id}/mark-paid`, { method: 'bank_transfer', reference: 'SEPA 2026-12-07 #4711' }, acme.headers('agent')), 200);
    expect(paid).toMatchObject({ status: 'paid', paymentMethod: 'bank_transfer', paymentReference: 'SEPA 2026-12-07 #4711' });

    const toVoid = await draft(acme, customer.id);
    expectStatus(await c.post(`/v1/invoices/${toVoid.id}/finalise`, {}, acme.headers('agent')), 200);
    const sent = expectStatus(await c.post(`/v1/invoices/${toVoid.id}/send`, {}, acme.headers('agent')), 200);
    const voided = expectStatus(await c.post(`/v1/invoices/${toVoid.id}/void`, { reason: 'Duplicate' }, acme.headers('admin')), 200);
    expect(voided).toMatchObject({ status: 'void', voidReason: 'Duplicate', amountDue: 0 });
    expect(voided.number).toMatch(/^INV-/);
    expect(stripe.paymentLinks.get(sent.stripePaymentLinkId)!.active).toBe(false);
    expect(expectStatus(await c.get('/v1/invoices?status=void&kind=invoice', acme.headers('viewer')), 200).data.map((i: { id: string }) => i.id)).toContain(toVoid.id);
  });

  it('keeps tenants apart and refuses bad input with 400s, other roles with 403', async () => {
    const mine = await draft(globex, (await contact(globex, 'Otto')).id);
    for (const [method, path, body] of [
      ['GET', `/v1/invoices/${mine.id}`, undefined],
      ['GET', `/v1/invoices/${mine.id}/pdf`, undefined],
      ['PUT', `/v1/invoices/${mine.id}/lines`, { lines: [], version: 1 }],
      ['POST', `/v1/invoices/${mine.id}/finalise`, {}],
      ['POST', `/v1/invoices/${mine.id}/send`, {}],
      ['POST', `/v1/invoices/${mine.id}/mark-paid`, { method: 'cash' }],
      ['POST', `/v1/invoices/${mine.id}/void`, {}],
      ['POST', `/v1/invoices/${mine.id}/credit-notes`, { reason: 'x' }],
      ['GET', `/v1/invoices/${RANDOM_UUID}`, undefined],
    ] as const) {
      expectProblem(await http(api.url, method, path, { headers: acme.headers('owner'), body }), 404, 'not-found');
    }
    // Row-level security: as the application role pinned to globex, none of acme's rows exist.
    const visible = await asTenantRole(globex.tenant.id, async (db) =>
      Promise.all(
        ['billing_invoices', 'billing_invoice_lines', 'billing_invoice_counters', 'billing_invoice_settings'].map(async (table) => (await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [acme.tenant.id])).rows[0].n),
      ),
    );
    expect(visible).toEqual([0, 0, 0, 0]);
    // Another tenant's contact cannot be billed.
    expectProblem(await c.post('/v1/invoices', { contactId: customer.id, currency: 'EUR', lines: [line('x', 1, 1)] }, globex.headers('agent')), 404, 'not-found');
    expect((await get(globex, mine.id)).status).toBe('draft');

    const bad = async (body: unknown, field?: string) => {
      const problem = expectProblem(await c.post('/v1/invoices', body, acme.headers('agent')), 400, 'validation-failed');
      if (field) expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await bad({ contactId: customer.id, currency: 'EUR', lines: [line('x', '1e3', 100)] }, 'lines[0].quantity');
    await bad({ contactId: customer.id, currency: 'EUR', lines: [line('x', '0.3333333', 100)] }, 'lines[0].quantity');
    await bad({ contactId: customer.id, currency: 'EUR', lines: [line('x', -1, 100)] }, 'lines[0].quantity');
    await bad({ contactId: customer.id, currency: 'EUR', lines: [line('x', 1, 1.5)] });
    await bad({ contactId: customer.id, currency: 'EUR', lines: [line('x', 1, 100, 10_001)] });
    await bad({ contactId: customer.id, currency: 'EURO', lines: [] });
    await bad({ contactId: 'not-a-uuid', currency: 'EUR', lines: [] });
    await bad({ contactId: customer.id, currency: 'EUR', lines: [], extra: true });
    await bad({ contactId: customer.id, currency: 'EUR', lines: [{ ...line('x', 1, 1), total: 1 }] });
    expectProblem(await c.get('/v1/invoices/not-a-uuid', acme.headers('viewer')), 400);
    expectProblem(await c.get('/v1/invoices?status=unpaid', acme.headers('viewer')), 400, 'validation-failed');
    expectProblem(await c.get('/v1/invoices?cursor=garbage', acme.headers('viewer')), 400, 'invalid-cursor');
    const d = await draft(acme, customer.id);
    expectProblem(await c.post(`/v1/invoices/${d.id}/mark-paid`, { method: 'barter' }, acme.headers('agent')), 400, 'validation-failed');
    expectProblem(await c.post(`/v1/invoices/${d.id}/credit-notes`, { reason: '' }, acme.headers('agent')), 400, 'validation-failed');
    expectProblem(await c.put(`/v1/invoices/${d.id}/lines`, { lines: [line('x', 1, 1)] }, acme.headers('agent')), 400, 'validation-failed');
    expectProblem(await c.put('/v1/billing/invoice-settings', { stripeAccountId: 'sk_live_oops', address: null, taxId: null, footer: null, dueDays: 14 }, acme.headers('owner')), 400, 'validation-failed');
    expectProblem(await c.put('/v1/billing/invoice-settings', { stripeAccountId: null, address: null, taxId: null, footer: null, dueDays: 14, logo: Buffer.from('GIF89a').toString('base64') }, acme.headers('owner')), 400, 'validation-failed');
    const empty = await draft(acme, customer.id, []);
    expectProblem(await c.post(`/v1/invoices/${empty.id}/finalise`, {}, acme.headers('agent')), 422, 'invoice-empty');
    const nobody = await contact(acme, 'Nomail', false);
    const unreachable = await draft(acme, nobody.id);
    expectStatus(await c.post(`/v1/invoices/${unreachable.id}/finalise`, {}, acme.headers('agent')), 200);
    expectProblem(await c.post(`/v1/invoices/${unreachable.id}/send`, {}, acme.headers('agent')), 422, 'no-recipient');
    expectProblem(await c.post(`/v1/invoices/${unreachable.id}/send`, { to: 'not an email' }, acme.headers('agent')), 400, 'validation-failed');

    // Technicians neither read nor write invoices; viewers read only; settings are the owners' and admins'.
    expectProblem(await c.get('/v1/invoices', acme.headers('technician')), 403, 'forbidden');
    expectProblem(await c.post('/v1/invoices', { contactId: customer.id, currency: 'EUR', lines: [] }, acme.headers('viewer')), 403, 'forbidden');
    expectProblem(await c.get('/v1/billing/invoice-settings', acme.headers('agent')), 403, 'forbidden');
    expect(expectStatus(await c.get('/v1/billing/invoice-settings', acme.headers('admin')), 200)).toMatchObject({ stripeAccountId: ACME_ACCOUNT, logo: expect.stringMatching(/^image\/png, \d+ bytes$/), dueDays: 14 });
  });
});
