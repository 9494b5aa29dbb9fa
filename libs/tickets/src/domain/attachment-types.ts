import { fileTypeFromBuffer } from 'file-type';

/** What may be attached: documents, images, archives and plain text. Executables never. */
const ALLOWED = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/heic',
  'application/pdf',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'audio/mpeg',
  'video/mp4',
]);
const TEXT_TYPES = new Set(['text/plain', 'text/csv', 'application/json', 'text/markdown']);

/**
 * The content type from the bytes, not from the name or the client's claim: a renamed `.exe`
 * is an executable. Text has no signature, so it is accepted when declared as text and it holds
 * no NUL byte. Returns null when the file is not allowed.
 */
export async function sniffAllowedType(head: Buffer, declared: string): Promise<string | null> {
  const detected = await fileTypeFromBuffer(head);
  if (detected) return ALLOWED.has(detected.mime) ? detected.mime : null;
  const base = declared.split(';')[0].trim().toLowerCase();
  if (TEXT_TYPES.has(base) && !head.includes(0)) return `${base}; charset=utf-8`;
  return null;
}
