import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { PATCH_OPERATION_SCHEMA, ScimError as PatchError, scimPatch, type ScimPatchOperation } from 'scim-patch';
import { AccessCache } from '../../auth/access-cache';
import { ScimError } from '../../scim/scim-error';
import { ScimMembership } from '../../scim/scim-membership';
import { parseScimUser, toScimUser, type ScimUserResource } from '../../scim/scim-user';
import { ScimRepository } from '../../scim/scim.repository';
import type { ScimUserFields } from '../../scim/scim.sql';
import { ScimUpdateUserCommand } from './scim-update-user.command';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The operations of a PATCH body, checked for shape before scim-patch applies them. */
function patchOperations(body: unknown): ScimPatchOperation[] {
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
  // Directories (Entra ID) send "Replace"/"Add"; scim-patch wants lower case.
  return ops.map((op: Record<string, unknown>) => ({ ...op, op: String(op['op']).toLowerCase() }) as unknown as ScimPatchOperation);
}

function applyPatch(resource: ScimUserResource, body: unknown): unknown {
  const operations = patchOperations(body);
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

const snapshot = (f: ScimUserFields) => ({ ...f });

/**
 * Applies the directory's change to the stored fields; an active → inactive switch takes the
 * person's access away (ScimMembership), inactive → active gives it back. userName is the
 * sign-in email, shared by every tenant the person belongs to, so it cannot change here.
 */
@CommandHandler(ScimUpdateUserCommand)
export class ScimUpdateUserHandler implements ICommandHandler<ScimUpdateUserCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly scim: ScimRepository,
    private readonly membership: ScimMembership,
    private readonly access: AccessCache,
  ) {}

  async execute({ context, id, change, baseUrl }: ScimUpdateUserCommand): Promise<ScimUserResource> {
    if (!UUID.test(id)) throw new ScimError(404, `User ${id} not found.`);
    let accessChanged = false;
    const record = await this.tx.runPrivileged(context, async (tx) => {
      const current = await this.scim.findUser(tx, id, true);
      if (!current) throw new ScimError(404, `User ${id} not found.`);
      const next = parseScimUser(change.kind === 'replace' ? change.body : applyPatch(toScimUser(current, baseUrl), change.body));
      if (next.userName !== current.userName) throw new ScimError(400, 'userName is the person’s sign-in email and cannot change; deprovision and provision again.', 'mutability');
      if (current.active && !next.active) accessChanged = await this.membership.deactivate(tx, current.userId, current.userName);
      if (!current.active && next.active) await this.membership.activate(tx, current.userId, current.userName);
      const updated = await this.scim.updateUser(tx, id, next);
      await tx.audit({ action: next.active === current.active ? 'scim.user_updated' : next.active ? 'scim.user_activated' : 'scim.user_deactivated', entityType: 'scim_user', entityId: id, before: snapshot(current), after: snapshot(next) });
      return updated;
    });
    if (accessChanged) await this.access.changed(context.tenantId);
    return toScimUser(record, baseUrl);
  }
}
