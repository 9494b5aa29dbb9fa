import { startApi, type RunningApi } from '../support/processes';
import { STORAGE_DRIVERS, storageUnderTest, type StorageUnderTest } from '../support/storage-drivers';
import { createTwoTenants, type TenantSession } from '../support/tenants';

// A real 1×1 PNG and the start of a Windows executable.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64), Buffer.from('PE\0\0'), Buffer.alloc(200)]);

describe.each(STORAGE_DRIVERS)('ticket attachments (%s storage)', (driver) => {
  let storage: StorageUnderTest;
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;
  let ticketId: string;

  beforeAll(async () => {
    storage = await storageUnderTest(driver);
    api = await startApi(storage.env);
    [acme, globex] = await createTwoTenants(api.url);
    const res = await fetch(`${api.url}/v1/tickets`, { method: 'POST', headers: acme.headers('agent'), body: JSON.stringify({ subject: 'With files', requester: { email: 'files@example.com' } }) });
    ticketId = (await res.json()).id;
  });
  afterAll(async () => {
    await api?.stop();
    await storage?.close();
  });

  const upload = (tenant: TenantSession, id: string, content: Buffer | Blob, filename: string, type = 'application/octet-stream') => {
    const form = new FormData();
    form.append('file', content instanceof Blob ? content : new Blob([content], { type }), filename);
    return fetch(`${api.url}/v1/tickets/${id}/attachments`, { method: 'POST', headers: { authorization: tenant.headers('agent').authorization }, body: form });
  };
  const storedFiles = () => storage.files(acme.tenant.id, 'attachments');

  it('stores an image, sniffs its type, and serves it back byte for byte', async () => {
    const res = await upload(acme, ticketId, PNG, 'screenshot.png', 'image/png');
    expect(res.status).toBe(201);
    const attachment = await res.json();
    expect(attachment).toMatchObject({ filename: 'screenshot.png', contentType: 'image/png', size: PNG.length });
    const download = await fetch(`${api.url}/v1/tickets/${ticketId}/attachments/${attachment.id}`, { headers: acme.headers('viewer') });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="screenshot.png"/);
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);
    const list = await (await fetch(`${api.url}/v1/tickets/${ticketId}/attachments`, { headers: acme.headers('viewer') })).json();
    expect(list.data.map((a: { id: string }) => a.id)).toContain(attachment.id);
  });

  it('refuses an executable renamed to .png with 415 and keeps nothing', async () => {
    const before = storedFiles().length;
    const res = await upload(acme, ticketId, EXE, 'holiday.png', 'image/png');
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(storedFiles().length).toBe(before);
  });

  it('refuses a 26 MB file with 413 and keeps nothing', async () => {
    const before = storedFiles().length;
    const res = await upload(acme, ticketId, Buffer.alloc(26 * 1024 * 1024, 1), 'big.bin');
    expect(res.status).toBe(413);
    expect((await res.json()).detail).toMatch(/limit of 26214400 bytes/);
    expect(storedFiles().length).toBe(before);
    // The multipart upload it had started in the object store is aborted, not left to linger.
    if (storage.s3) expect(storage.s3.pendingUploads()).toBe(0);
  });

  it('accepts plain text as text, and cleans a path-traversal file name', async () => {
    const res = await upload(acme, ticketId, Buffer.from('hello\n'), '../../../etc/passwd', 'text/plain');
    expect(res.status).toBe(201);
    const attachment = await res.json();
    expect(attachment).toMatchObject({ filename: 'passwd', contentType: 'text/plain; charset=utf-8' });
    const hostile = await upload(acme, ticketId, Buffer.from('x'), '..\\..\\windows\\"evil"\r\n.txt', 'text/plain');
    expect((await hostile.json()).filename).toBe('evil.txt');
  });

  it('refuses a request without a file, and an empty file', async () => {
    const form = new FormData();
    form.append('note', 'no file here');
    const none = await fetch(`${api.url}/v1/tickets/${ticketId}/attachments`, { method: 'POST', headers: { authorization: acme.headers('agent').authorization }, body: form });
    expect(none.status).toBe(400);
    expect((await upload(acme, ticketId, Buffer.alloc(0), 'empty.txt', 'text/plain')).status).toBe(400);
    const json = await fetch(`${api.url}/v1/tickets/${ticketId}/attachments`, { method: 'POST', headers: acme.headers('agent'), body: '{}' });
    expect(json.status).toBe(400);
  });

  it('refuses two files in one request with 400 naming the limit, and keeps neither', async () => {
    const before = storedFiles().length;
    const listed = async () => (await (await fetch(`${api.url}/v1/tickets/${ticketId}/attachments`, { headers: acme.headers('viewer') })).json()).data.length;
    const attachments = await listed();
    for (const second of ['file', 'other']) {
      const form = new FormData();
      form.append('file', new Blob([PNG], { type: 'image/png' }), 'one.png');
      form.append(second, new Blob(['second file'], { type: 'text/plain' }), 'two.txt');
      const res = await fetch(`${api.url}/v1/tickets/${ticketId}/attachments`, { method: 'POST', headers: { authorization: acme.headers('agent').authorization }, body: form });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ detail: expect.stringMatching(/limit is 1 file/), errors: [{ field: 'file', message: 'takes at most 1 file per request' }] });
    }
    expect(await listed()).toBe(attachments);
    expect(storedFiles().length).toBe(before);
  });

  it('answers a multipart body on a JSON endpoint with 415', async () => {
    const form = new FormData();
    form.append('subject', 'Sent as a form');
    const res = await fetch(`${api.url}/v1/tickets`, { method: 'POST', headers: { authorization: acme.headers('agent').authorization }, body: form });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await res.json()).detail).toMatch(/takes application\/json; multipart\/form-data is accepted only where a file is uploaded/);
  });

  it("shows another tenant nothing: upload, list and download answer 404", async () => {
    const mine = await (await upload(acme, ticketId, PNG, 'private.png', 'image/png')).json();
    expect((await upload(globex, ticketId, PNG, 'x.png', 'image/png')).status).toBe(404);
    expect((await fetch(`${api.url}/v1/tickets/${ticketId}/attachments`, { headers: globex.headers('admin') })).status).toBe(404);
    expect((await fetch(`${api.url}/v1/tickets/${ticketId}/attachments/${mine.id}`, { headers: globex.headers('admin') })).status).toBe(404);
    const theirTicket = await (await fetch(`${api.url}/v1/tickets`, { method: 'POST', headers: globex.headers('agent'), body: JSON.stringify({ subject: 'theirs', requester: { email: 'g@example.com' } }) })).json();
    // Their ticket id with our attachment id: still 404.
    expect((await fetch(`${api.url}/v1/tickets/${theirTicket.id}/attachments/${mine.id}`, { headers: globex.headers('admin') })).status).toBe(404);
  });

  it('records the attachment in the ticket history', async () => {
    const history = await (await fetch(`${api.url}/v1/tickets/${ticketId}/history`, { headers: acme.headers('agent') })).json();
    expect(history.data.some((e: { action: string }) => e.action === 'ticket.attachment_added')).toBe(true);
  });

  if (driver === 's3') {
    it('streams a file larger than one part to the object store as a multipart upload, and back', async () => {
      const text = Buffer.alloc(9 * 1024 * 1024, 'all work and no play\n');
      const before = storage.s3!.calls.length;
      const res = await upload(acme, ticketId, text, 'log.txt', 'text/plain');
      expect(res.status).toBe(201);
      const attachment = await res.json();
      const ops = storage.s3!.calls.slice(before).map((c) => c.op);
      expect(ops.filter((op) => op === 'UploadPart')).toHaveLength(2);
      expect(ops).toContain('CompleteMultipartUpload');
      const download = await fetch(`${api.url}/v1/tickets/${ticketId}/attachments/${attachment.id}`, { headers: acme.headers('viewer') });
      expect(Buffer.from(await download.arrayBuffer()).equals(text)).toBe(true);
    });

    it('answers 503 problem+json while the object store is down, and keeps no row', async () => {
      const listed = async () => (await (await fetch(`${api.url}/v1/tickets/${ticketId}/attachments`, { headers: acme.headers('viewer') })).json()).data;
      const existing = (await listed())[0];
      const count = (await listed()).length;
      storage.s3!.state.down = true;
      try {
        const res = await upload(acme, ticketId, PNG, 'while-down.png', 'image/png');
        expect(res.status).toBe(503);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect((await res.json()).detail).toMatch(/File storage is not reachable/);
        const download = await fetch(`${api.url}/v1/tickets/${ticketId}/attachments/${existing.id}`, { headers: acme.headers('viewer') });
        expect(download.status).toBe(503);
      } finally {
        storage.s3!.state.down = false;
      }
      expect((await listed()).length).toBe(count);
    });

    it('redirects downloads to a short-lived presigned URL when configured, and still shows another tenant nothing', async () => {
      const presigning = await startApi({ ...storage.env, STORAGE_PRESIGNED_DOWNLOADS: 'true', STORAGE_PRESIGNED_EXPIRY_SECONDS: '30' });
      try {
        const attachment = await (await upload(acme, ticketId, PNG, 'direct.png', 'image/png')).json();
        const res = await fetch(`${presigning.url}/v1/tickets/${ticketId}/attachments/${attachment.id}`, { headers: acme.headers('viewer'), redirect: 'manual' });
        expect(res.status).toBe(302);
        const location = res.headers.get('location')!;
        expect(location.startsWith(`${storage.s3!.endpoint}/switchboard-e2e/tenants/${acme.tenant.id}/attachments/`)).toBe(true);
        expect(location).toContain('X-Amz-Expires=30');
        const direct = await fetch(location);
        expect(direct.status).toBe(200);
        expect(direct.headers.get('content-type')).toBe('image/png');
        expect(direct.headers.get('content-disposition')).toMatch(/^attachment; filename="direct.png"/);
        expect(Buffer.from(await direct.arrayBuffer()).equals(PNG)).toBe(true);
        expect((await fetch(`${presigning.url}/v1/tickets/${ticketId}/attachments/${attachment.id}`, { headers: globex.headers('admin'), redirect: 'manual' })).status).toBe(404);
      } finally {
        await presigning.stop();
      }
    });
  }
});
