import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GraphCall {
  method: string;
  path: string;
  token: string | null;
  json: Record<string, any> | null;
  raw: Buffer;
}

type Answer = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };

/**
 * The WhatsApp Cloud API (Graph API) on loopback, as documented
 * (https://developers.facebook.com/docs/whatsapp/cloud-api): POST /{phone-number-id}/messages,
 * POST /{phone-number-id}/media (multipart), GET /{media-id} (a URL to download from, with the
 * same bearer token), and an OAuth error for a token it does not know.
 */
export async function fakeWhatsApp(tokens: readonly string[]) {
  const calls: GraphCall[] = [];
  const media = new Map<string, { content: Buffer; mimeType: string }>();
  const queued: Answer[] = [];
  let base = '';

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const read = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const raw = await read(req);
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
      if (!token || !tokens.includes(token)) return send(res, 401, { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: 'AbC' } });
      const isJson = (req.headers['content-type'] ?? '').startsWith('application/json');
      calls.push({ method: req.method ?? 'GET', path: url.pathname, token, json: isJson && raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, any>) : null, raw });
      const download = /^\/media-download\/(.+)$/.exec(url.pathname);
      if (download) {
        const file = media.get(download[1]!);
        if (!file) return send(res, 404, { error: { message: 'Not found', code: 100 } });
        res.writeHead(200, { 'content-type': file.mimeType });
        return res.end(file.content);
      }
      const failure = queued.shift();
      if (failure) return send(res, failure.status, failure.body, failure.headers);
      // Graph API paths start with the version (/v21.0/…).
      const parts = url.pathname.split('/').filter(Boolean).filter((p, i) => !(i === 0 && /^v\d+\.\d+$/.test(p)));
      if (req.method === 'POST' && parts.length === 2 && parts[1] === 'messages') {
        const body = calls.at(-1)!.json ?? {};
        if (body.messaging_product !== 'whatsapp' || !body.to || !['text', 'template', 'document'].includes(body.type)) return send(res, 400, { error: { message: '(#100) Invalid parameter', code: 100 } });
        return send(res, 200, { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.${randomBytes(12).toString('hex')}` }] });
      }
      if (req.method === 'POST' && parts.length === 2 && parts[1] === 'media') {
        if (!raw.includes('name="messaging_product"') || !raw.includes('name="file"')) return send(res, 400, { error: { message: '(#100) The parameter file is required', code: 100 } });
        const id = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
        return send(res, 200, { id });
      }
      if (req.method === 'GET' && parts.length === 1 && media.has(parts[0]!)) {
        const file = media.get(parts[0]!)!;
        return send(res, 200, { messaging_product: 'whatsapp', url: `${base}/media-download/${parts[0]}`, mime_type: file.mimeType, sha256: 'x', file_size: file.content.length, id: parts[0] });
      }
      return send(res, 400, { error: { message: 'Unsupported request', code: 100 } });
    })().catch((error: unknown) => send(res, 500, { error: { message: String(error), code: 1 } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/v21.0`,
    calls,
    addMedia(id: string, content: Buffer, mimeType: string) {
      media.set(id, { content, mimeType });
    },
    failNext(...answers: Answer[]) {
      queued.push(...answers);
    },
    messagesTo: (to: string) => calls.filter((c) => c.method === 'POST' && c.path.endsWith('/messages') && c.json?.to === to),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Signs a webhook body as Meta does: X-Hub-Signature-256 = sha256=<hex HMAC of the raw body under the app secret>. */
export const hubSignature = (raw: string, appSecret: string) => `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;

let seq = Math.floor(Math.random() * 1_000_000);
export const wamid = () => `wamid.HBgLMTY1MDUwNzY1MjAVAgASGBQzQTRBNjU5OUFFRTAzODEwMDhCRQA${++seq}`;

/** Cloud API webhook payloads in their documented shape (object, entry[].changes[].value). */
export const whatsappWebhooks = {
  envelope(phoneNumberId: string, value: Record<string, unknown>) {
    return {
      object: 'whatsapp_business_account',
      entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId }, ...value } }] }],
    };
  },
  text(phoneNumberId: string, from: { waId: string; name: string }, text: string, id = wamid()) {
    return this.envelope(phoneNumberId, {
      contacts: [{ profile: { name: from.name }, wa_id: from.waId }],
      messages: [{ from: from.waId, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
    });
  },
  image(phoneNumberId: string, from: { waId: string; name: string }, mediaId: string, caption: string, id = wamid()) {
    return this.envelope(phoneNumberId, {
      contacts: [{ profile: { name: from.name }, wa_id: from.waId }],
      messages: [{ from: from.waId, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'image', image: { caption, mime_type: 'image/png', sha256: 'x', id: mediaId } }],
    });
  },
  status(phoneNumberId: string, messageId: string, status: 'sent' | 'delivered' | 'read' | 'failed', recipient: string) {
    return this.envelope(phoneNumberId, {
      statuses: [
        {
          id: messageId,
          status,
          timestamp: String(Math.floor(Date.now() / 1000)),
          recipient_id: recipient,
          ...(status === 'failed'
            ? { errors: [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'The recipient’s phone number is not a WhatsApp number.' } }] }
            : { conversation: { id: 'CONVERSATION_ID', origin: { type: 'service' } }, pricing: { billable: true, pricing_model: 'CBP', category: 'service' } }),
        },
      ],
    });
  },
};
