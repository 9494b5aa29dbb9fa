import { normaliseEmail } from '../domain/email';
import { ScimError } from './scim-error';
import type { ScimUserFields, ScimUserRecord } from './scim.sql';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export interface ScimUserResource {
  schemas: string[];
  id: string;
  externalId?: string;
  userName: string;
  name?: { givenName?: string; familyName?: string; formatted?: string };
  displayName?: string;
  emails: { value: string; primary: boolean; type: string }[];
  active: boolean;
  meta: { resourceType: 'User'; created: string; lastModified: string; location: string; version: string };
}

export function toScimUser(r: ScimUserRecord, baseUrl: string): ScimUserResource {
  const name = r.givenName || r.familyName ? { ...(r.givenName ? { givenName: r.givenName } : {}), ...(r.familyName ? { familyName: r.familyName } : {}) } : undefined;
  return {
    schemas: [USER_SCHEMA],
    id: r.id,
    ...(r.externalId ? { externalId: r.externalId } : {}),
    userName: r.userName,
    ...(name ? { name } : {}),
    ...(r.displayName ? { displayName: r.displayName } : {}),
    emails: [{ value: r.userName, primary: true, type: 'work' }],
    active: r.active,
    meta: { resourceType: 'User', created: r.createdAt.toISOString(), lastModified: r.updatedAt.toISOString(), location: `${baseUrl}/Users/${r.id}`, version: `W/"${r.version}"` },
  };
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}$/;

/** Case-insensitive attribute lookup (SCIM attribute names are). */
function attr(o: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(o).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : o[key];
}

function optionalString(o: Record<string, unknown>, name: string, max: number, path = name): string | null {
  const v = attr(o, name);
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') throw new ScimError(400, `${path} must be a string.`, 'invalidValue');
  if (v.length > max) throw new ScimError(400, `${path} must be at most ${max} characters.`, 'invalidValue');
  return v.trim() || null;
}

/**
 * A User resource from a directory (POST/PUT body, or the result of a PATCH) to the fields kept.
 * `userName` is the person's sign-in email; a primary work email stands in when userName is not
 * an address (some directories send a login name there).
 */
export function parseScimUser(body: unknown): ScimUserFields {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ScimError(400, 'The body must be a SCIM User object.', 'invalidSyntax');
  const o = body as Record<string, unknown>;
  const schemas = attr(o, 'schemas');
  if (schemas !== undefined && (!Array.isArray(schemas) || !schemas.includes(USER_SCHEMA))) throw new ScimError(400, `schemas must include ${USER_SCHEMA}.`, 'invalidValue');
  const rawUserName = attr(o, 'userName');
  if (typeof rawUserName !== 'string' || !rawUserName.trim()) throw new ScimError(400, 'userName is required.', 'invalidValue');
  let userName = normaliseEmail(rawUserName);
  if (!EMAIL.test(userName)) {
    const emails = attr(o, 'emails');
    const primary = Array.isArray(emails) ? (emails.find((e) => e && typeof e === 'object' && (e as { primary?: unknown }).primary === true) ?? emails[0]) : undefined;
    const value = primary && typeof primary === 'object' ? (primary as { value?: unknown }).value : undefined;
    if (typeof value !== 'string' || !EMAIL.test(normaliseEmail(value))) throw new ScimError(400, 'userName (or the primary email) must be an email address.', 'invalidValue');
    userName = normaliseEmail(value);
  }
  if (userName.length > 254) throw new ScimError(400, 'userName must be at most 254 characters.', 'invalidValue');
  const nameValue = attr(o, 'name');
  if (nameValue !== undefined && nameValue !== null && (typeof nameValue !== 'object' || Array.isArray(nameValue))) throw new ScimError(400, 'name must be an object.', 'invalidValue');
  const name = (nameValue ?? {}) as Record<string, unknown>;
  const active = attr(o, 'active');
  if (active !== undefined && typeof active !== 'boolean') {
    // Some directories send "True"/"False" strings; accept those, refuse anything else.
    if (typeof active === 'string' && /^(true|false)$/i.test(active)) return build(o, name, userName, active.toLowerCase() === 'true');
    throw new ScimError(400, 'active must be a boolean.', 'invalidValue');
  }
  return build(o, name, userName, active ?? true);
}

function build(o: Record<string, unknown>, name: Record<string, unknown>, userName: string, active: boolean): ScimUserFields {
  return {
    userName,
    externalId: optionalString(o, 'externalId', 500),
    givenName: optionalString(name, 'givenName', 200, 'name.givenName'),
    familyName: optionalString(name, 'familyName', 200, 'name.familyName'),
    displayName: optionalString(o, 'displayName', 200),
    active,
  };
}

/** The display name a new user row gets. */
export function personName(f: ScimUserFields): string {
  const full = [f.givenName, f.familyName].filter(Boolean).join(' ');
  return (f.displayName || full || f.userName.slice(0, f.userName.indexOf('@')) || f.userName).slice(0, 200);
}
