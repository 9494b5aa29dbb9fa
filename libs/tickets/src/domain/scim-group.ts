import { ScimError } from '@switchboard/tenancy';
import { PATCH_OPERATION_SCHEMA, ScimError as PatchError, scimPatch, type ScimPatchOperation } from 'scim-patch';
import type { GroupView } from '../repositories/groups.sql';

export const SCIM_GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** A ticket group as SCIM shows it (RFC 7643 §4.2); members name the SCIM ids of provisioned users. */
export interface ScimGroupResource {
  schemas: string[];
  id: string;
  displayName: string;
  members: { value: string; display: string; $ref: string }[];
  meta: { resourceType: 'Group'; created: string; lastModified: string; location: string; version: string };
}

export interface ScimMember {
  scimId: string;
  display: string;
}

export function toScimGroup(group: GroupView, members: ScimMember[], baseUrl: string): ScimGroupResource {
  return {
    schemas: [SCIM_GROUP_SCHEMA],
    id: group.id,
    displayName: group.name,
    members: members.map((m) => ({ value: m.scimId, display: m.display, $ref: `${baseUrl}/Users/${m.scimId}` })),
    meta: { resourceType: 'Group', created: group.createdAt, lastModified: group.updatedAt, location: `${baseUrl}/Groups/${group.id}`, version: `W/"${group.version}"` },
  };
}

/** What a POST or PUT body (or a patched resource) says: the group's name and its members' SCIM ids. */
export function parseScimGroup(body: unknown): { displayName: string; memberIds: string[] } {
  const o = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : null) as Record<string, unknown> | null;
  if (!o) throw new ScimError(400, 'The body must be a SCIM Group object.', 'invalidSyntax');
  const schemas = o['schemas'];
  if (schemas !== undefined && (!Array.isArray(schemas) || !schemas.includes(SCIM_GROUP_SCHEMA))) throw new ScimError(400, `schemas must include ${SCIM_GROUP_SCHEMA}.`, 'invalidValue');
  const name = o['displayName'];
  if (typeof name !== 'string' || name.trim().length === 0 || name.trim().length > 100) throw new ScimError(400, 'displayName must be 1 to 100 characters.', 'invalidValue');
  const members = o['members'] ?? [];
  if (!Array.isArray(members) || members.length > 1000) throw new ScimError(400, 'members must be an array of at most 1,000 { value } objects.', 'invalidValue');
  const memberIds = members.map((m) => {
    const value = typeof m === 'object' && m !== null ? (m as { value?: unknown }).value : undefined;
    if (typeof value !== 'string' || value.length > 100) throw new ScimError(400, 'Each member needs a value: the SCIM id of a provisioned user.', 'invalidValue');
    return value;
  });
  return { displayName: name.trim(), memberIds: [...new Set(memberIds)] };
}

/** The operations of a PATCH body, checked for shape, then applied with scim-patch (Entra ID's "Add"/"Replace" accepted). */
export function applyScimGroupPatch(resource: ScimGroupResource, body: unknown): unknown {
  const o = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const schemas = o['schemas'];
  if (!Array.isArray(schemas) || !schemas.includes(PATCH_OPERATION_SCHEMA)) throw new ScimError(400, `schemas must be ["${PATCH_OPERATION_SCHEMA}"].`, 'invalidSyntax');
  const ops = o['Operations'];
  if (!Array.isArray(ops) || ops.length === 0) throw new ScimError(400, 'Operations must be a non-empty array.', 'invalidSyntax');
  if (ops.length > 100) throw new ScimError(400, 'At most 100 operations per request.', 'tooMany');
  for (const op of ops) {
    if (typeof op !== 'object' || op === null || typeof (op as { op?: unknown }).op !== 'string' || !/^(add|remove|replace)$/i.test((op as { op: string }).op)) {
      throw new ScimError(400, 'Each operation needs "op": add, remove or replace.', 'invalidSyntax');
    }
    const path = (op as { path?: unknown }).path;
    if (path !== undefined && (typeof path !== 'string' || path.length > 300)) throw new ScimError(400, 'path must be a string.', 'invalidPath');
  }
  const operations = ops.map((op: Record<string, unknown>) => ({ ...op, op: String(op['op']).toLowerCase() }) as unknown as ScimPatchOperation);
  try {
    return scimPatch({ ...resource, meta: { ...resource.meta, created: new Date(resource.meta.created), lastModified: new Date(resource.meta.lastModified) } }, operations, { mutateDocument: false });
  } catch (error) {
    if (error instanceof PatchError) {
      const scimType = error.scimCode === 'noTarget' ? 'noTarget' : error.scimCode === 'invalidPath' ? 'invalidPath' : 'invalidValue';
      throw new ScimError(400, error.message || 'The patch cannot be applied.', scimType);
    }
    throw error;
  }
}
