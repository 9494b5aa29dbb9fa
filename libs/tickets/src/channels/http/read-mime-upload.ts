import Busboy from 'busboy';
import type { Request } from 'express';
import { ProblemException } from '@switchboard/platform';

/** The field names inbound-mail services post the raw MIME in: SendGrid Inbound Parse ("email", raw mode) and Mailgun ("body-mime"); "file" for a plain upload. */
export const MIME_FIELDS = ['email', 'body-mime', 'file'] as const;

const tooLarge = (limit: number) => new ProblemException({ status: 413, type: 'payload-too-large', title: 'Content Too Large', detail: `The message is larger than the limit of ${limit} bytes.` });

/**
 * Reads the raw MIME from a multipart/form-data webhook, as a field or a file part, stopping at
 * `limit` bytes (413), before anything is authenticated or parsed. Other fields are ignored.
 */
export async function readMimeUpload(req: Request, limit: number): Promise<Buffer> {
  if (!/^multipart\/form-data\s*;/i.test(req.headers['content-type'] ?? '')) {
    throw new ProblemException({
      status: 415,
      type: 'unsupported-media-type',
      title: 'Unsupported Media Type',
      detail: 'Post the raw MIME as multipart/form-data in a field named "email" (SendGrid raw mode) or "body-mime" (Mailgun).',
    });
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit + 256 * 1024) throw tooLarge(limit);
  let busboy: Busboy.Busboy;
  try {
    busboy = Busboy({ headers: req.headers, limits: { fieldSize: limit + 1, fileSize: limit + 1, files: 3, fields: 100, parts: 120 } });
  } catch {
    throw new ProblemException({ status: 400, type: 'bad-request', title: 'Bad Request', detail: 'Send the raw MIME as multipart/form-data in a field named "email" (or "body-mime").' });
  }
  const found = await new Promise<Buffer | null>((resolve, reject) => {
    let result: Buffer | null = null;
    let failed = false;
    const fail = (error: unknown) => {
      if (!failed) {
        failed = true;
        reject(error);
      }
      req.unpipe(busboy);
      req.resume();
    };
    busboy.on('field', (name, value, info) => {
      if (!MIME_FIELDS.includes(name as never) || result) return;
      if (info.valueTruncated || Buffer.byteLength(value) > limit) return fail(tooLarge(limit));
      result = Buffer.from(value, 'utf8');
    });
    busboy.on('file', (name, stream) => {
      if (!MIME_FIELDS.includes(name as never) || result) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          stream.resume();
          return fail(tooLarge(limit));
        }
        chunks.push(chunk);
      });
      stream.on('limit', () => fail(tooLarge(limit)));
      stream.on('end', () => {
        if (!failed && size <= limit) result = Buffer.concat(chunks);
      });
    });
    busboy.on('error', () => fail(new ProblemException({ status: 400, type: 'bad-request', title: 'Bad Request', detail: 'The multipart body could not be read.' })));
    busboy.on('close', () => {
      if (!failed) resolve(result);
    });
    req.pipe(busboy);
  });
  if (!found) {
    throw new ProblemException({
      status: 400,
      type: 'validation-failed',
      title: 'Bad Request',
      detail: 'The request has no raw MIME: post it as multipart/form-data in a field named "email" (SendGrid raw mode) or "body-mime" (Mailgun).',
      errors: [{ field: 'email', message: 'is required' }],
    });
  }
  return found;
}
