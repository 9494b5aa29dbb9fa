import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeObject {
  body: Buffer;
  contentType: string;
  etag: string;
  /** The server-side encryption the upload asked for (x-amz-server-side-encryption), if any. */
  sse: string | undefined;
  modified: Date;
}

export interface S3Call {
  method: string;
  bucket: string;
  key: string;
  /** The S3 operation as the fake understood it (PutObject, UploadPart, ListObjectsV2, …). */
  op: string;
}

const xmlEscape = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const xmlUnescape = (v: string) => v.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

/**
 * The SDK's streaming uploads (`x-amz-content-sha256: STREAMING-…`, `content-encoding: aws-chunked`)
 * frame the body as `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` … `0\r\n<trailers>\r\n\r\n`.
 */
export function decodeAwsChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) throw new Error('aws-chunked: missing chunk header');
    const size = parseInt(raw.subarray(at, eol).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size)) throw new Error('aws-chunked: bad chunk size');
    if (size === 0) return Buffer.concat(parts);
    parts.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/**
 * An S3-compatible object store on loopback (path-style addressing) that speaks the REST calls
 * the storage adapter makes, so the real AWS SDK runs against it: PutObject, the multipart calls
 * (Create, UploadPart, Complete, Abort), GetObject with ranges and presigned URLs, HeadObject,
 * DeleteObject, DeleteObjects and ListObjectsV2. Signatures are not checked; expiry of presigned
 * URLs is. `down` answers every call with a 503, like an unreachable store.
 */
export async function fakeS3(buckets: readonly string[] = ['switchboard']) {
  const store = new Map<string, Map<string, FakeObject>>(buckets.map((b) => [b, new Map()]));
  const uploads = new Map<string, { bucket: string; key: string; contentType: string; sse: string | undefined; parts: Map<number, Buffer> }>();
  const calls: S3Call[] = [];
  const state = { down: false };

  const read = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  const body = async (req: IncomingMessage) => {
    const raw = await read(req);
    const chunked = String(req.headers['content-encoding'] ?? '').includes('aws-chunked') || String(req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
    return chunked ? decodeAwsChunked(raw) : raw;
  };
  const xml = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`);
  };
  const error = (res: ServerResponse, status: number, code: string, message: string, head = false) => {
    if (head) {
      res.writeHead(status);
      return res.end();
    }
    xml(res, status, `<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><RequestId>${randomUUID()}</RequestId></Error>`);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const [, bucketName = '', ...rest] = url.pathname.split('/');
      const bucket = decodeURIComponent(bucketName);
      const key = rest.map(decodeURIComponent).join('/');
      const q = url.searchParams;
      const method = req.method ?? 'GET';
      const head = method === 'HEAD';
      if (state.down) {
        await read(req);
        return error(res, 503, 'ServiceUnavailable', 'The store is down', head);
      }
      const objects = store.get(bucket);
      if (!objects) {
        await read(req);
        return error(res, 404, 'NoSuchBucket', `No bucket ${bucket}`, head);
      }
      const op = (name: string) => calls.push({ method, bucket, key, op: name });

      if (!key) {
        if (method === 'GET' && q.get('list-type') === '2') {
          op('ListObjectsV2');
          const prefix = q.get('prefix') ?? '';
          const max = Math.min(Number(q.get('max-keys') ?? 1000), 1000);
          const after = q.get('continuation-token') ? Buffer.from(q.get('continuation-token')!, 'base64url').toString() : (q.get('start-after') ?? '');
          const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
          const page = keys.slice(0, max);
          const truncated = keys.length > page.length;
          const contents = page
            .map((k) => {
              const o = objects.get(k)!;
              return `<Contents><Key>${xmlEscape(k)}</Key><LastModified>${o.modified.toISOString()}</LastModified><ETag>&quot;${o.etag}&quot;</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
            })
            .join('');
          const next = truncated ? `<NextContinuationToken>${Buffer.from(page.at(-1)!).toString('base64url')}</NextContinuationToken>` : '';
          return xml(res, 200, `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(bucket)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`);
        }
        if (method === 'POST' && q.has('delete')) {
          op('DeleteObjects');
          const text = (await body(req)).toString('utf8');
          const keys = [...text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => xmlUnescape(m[1]!));
          if (keys.length > 1000) return error(res, 400, 'MalformedXML', 'More than 1000 keys');
          for (const k of keys) objects.delete(k);
          const quiet = /<Quiet>true<\/Quiet>/.test(text);
          return xml(res, 200, `<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${quiet ? '' : keys.map((k) => `<Deleted><Key>${xmlEscape(k)}</Key></Deleted>`).join('')}</DeleteResult>`);
        }
        await read(req);
        return error(res, 400, 'NotImplemented', `${method} on a bucket is not part of this fake`);
      }

      if (method === 'POST' && q.has('uploads')) {
        op('CreateMultipartUpload');
        await read(req);
        const uploadId = randomUUID();
        uploads.set(uploadId, { bucket, key, contentType: String(req.headers['content-type'] ?? 'application/octet-stream'), sse: req.headers['x-amz-server-side-encryption'] as string | undefined, parts: new Map() });
        return xml(res, 200, `<InitiateMultipartUploadResult><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`);
      }
      if (q.has('uploadId')) {
        const upload = uploads.get(q.get('uploadId')!);
        if (!upload || upload.bucket !== bucket || upload.key !== key) {
          await read(req);
          return error(res, 404, 'NoSuchUpload', 'No such upload');
        }
        if (method === 'PUT') {
          op('UploadPart');
          const part = await body(req);
          upload.parts.set(Number(q.get('partNumber')), part);
          res.writeHead(200, { etag: `"${md5(part)}"` });
          return res.end();
        }
        if (method === 'POST') {
          op('CompleteMultipartUpload');
          const text = (await body(req)).toString('utf8');
          const numbers = [...text.matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
          if (numbers.length === 0 || numbers.some((n) => !upload.parts.has(n))) return error(res, 400, 'InvalidPart', 'A listed part was not uploaded');
          const content = Buffer.concat(numbers.map((n) => upload.parts.get(n)!));
          const etag = `${md5(content)}-${numbers.length}`;
          objects.set(key, { body: content, contentType: upload.contentType, etag, sse: upload.sse, modified: new Date() });
          uploads.delete(q.get('uploadId')!);
          return xml(res, 200, `<CompleteMultipartUploadResult><Location>http://fake/${xmlEscape(bucket)}/${xmlEscape(key)}</Location><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><ETag>&quot;${etag}&quot;</ETag></CompleteMultipartUploadResult>`);
        }
        if (method === 'DELETE') {
          op('AbortMultipartUpload');
          uploads.delete(q.get('uploadId')!);
          res.writeHead(204);
          return res.end();
        }
      }
      if (method === 'PUT') {
        op('PutObject');
        const content = await body(req);
        const etag = md5(content);
        objects.set(key, { body: content, contentType: String(req.headers['content-type'] ?? 'application/octet-stream'), etag, sse: req.headers['x-amz-server-side-encryption'] as string | undefined, modified: new Date() });
        res.writeHead(200, { etag: `"${etag}"` });
        return res.end();
      }
      if (method === 'GET' || head) {
        op(head ? 'HeadObject' : q.has('X-Amz-Signature') ? 'GetObject (presigned)' : 'GetObject');
        if (q.has('X-Amz-Signature')) {
          const date = q.get('X-Amz-Date') ?? '';
          const signedAt = Date.parse(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
          if (!(signedAt + Number(q.get('X-Amz-Expires') ?? 0) * 1000 >= Date.now())) return error(res, 403, 'AccessDenied', 'Request has expired');
        }
        const object = objects.get(key);
        if (!object) return error(res, 404, 'NoSuchKey', 'The specified key does not exist.', head);
        const headers: Record<string, string> = {
          'content-type': q.get('response-content-type') ?? object.contentType,
          etag: `"${object.etag}"`,
          'last-modified': object.modified.toUTCString(),
          'accept-ranges': 'bytes',
          ...(q.get('response-content-disposition') ? { 'content-disposition': q.get('response-content-disposition')! } : {}),
          ...(object.sse ? { 'x-amz-server-side-encryption': object.sse } : {}),
        };
        const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
        if (range && !head) {
          const start = Number(range[1]);
          const end = Math.min(range[2] ? Number(range[2]) : object.body.length - 1, object.body.length - 1);
          if (start >= object.body.length) return error(res, 416, 'InvalidRange', 'The requested range is not satisfiable');
          res.writeHead(206, { ...headers, 'content-length': String(end - start + 1), 'content-range': `bytes ${start}-${end}/${object.body.length}` });
          return res.end(object.body.subarray(start, end + 1));
        }
        res.writeHead(200, { ...headers, 'content-length': String(object.body.length) });
        return res.end(head ? undefined : object.body);
      }
      if (method === 'DELETE') {
        op('DeleteObject');
        objects.delete(key);
        res.writeHead(204);
        return res.end();
      }
      await read(req);
      return error(res, 400, 'NotImplemented', `${method} is not part of this fake`);
    })().catch((e: unknown) => {
      if (!res.headersSent) error(res, 500, 'InternalError', String(e));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    calls,
    state,
    objects: (bucket = buckets[0]!) => store.get(bucket)!,
    /** Multipart uploads started and neither completed nor aborted. */
    pendingUploads: () => uploads.size,
    /** The environment that points the apps at this store. */
    env: (bucket = buckets[0]!, extra: Record<string, string> = {}): Record<string, string> => ({
      STORAGE_DRIVER: 's3',
      STORAGE_S3_ENDPOINT: endpoint,
      STORAGE_S3_BUCKET: bucket,
      STORAGE_S3_REGION: 'us-east-1',
      STORAGE_S3_FORCE_PATH_STYLE: 'true',
      STORAGE_S3_ACCESS_KEY_ID: 'fake-access-key',
      STORAGE_S3_SECRET_ACCESS_KEY: 'fake-secret-key',
      ...extra,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakeS3 = Awaited<ReturnType<typeof fakeS3>>;
