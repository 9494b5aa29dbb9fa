export const ROLES = ['owner', 'admin', 'agent', 'technician', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Every permission a route can require; API key scopes are drawn from the same list. */
export const PERMISSIONS = [
  'tenant:manage',
  'members:read',
  'members:manage',
  'api-keys:manage',
  'audit:read',
  'customers:read',
  'customers:write',
  /** Erasing a person for a data-protection request (owners and admins; ADR 0031). */
  'customers:erase',
  'tickets:read',
  'tickets:write',
  /** Deleting a ticket for good (owners and admins; ADR 0031). */
  'tickets:delete',
  /** Setting up how work is organised: ticket groups and their members (owners and admins). */
  'tickets:configure',
  /** Integrations mirroring outside work (tasks, AI agent sessions) onto tickets: an API key scope (ADR 0036). */
  'tickets:links',
  'kb:read',
  'kb:write',
  'jobs:read',
  'jobs:write',
  'reports:read',
  'ai:use',
  'ai:admin',
  /** Outbound webhook endpoints, their secrets and delivery log (owners and admins; an API key scope, ADR 0043). */
  'webhooks:manage',
  /** The tenant's plan, subscription (Checkout, Customer Portal) and usage (owners and admins; not an API key scope). */
  'billing:manage',
  /** Customer invoices and credit notes: reading them and their PDFs (ADR 0061). */
  'invoices:read',
  /** Drafting, finalising, sending, voiding invoices and recording payments (ADR 0061). */
  'invoices:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = ['members:read', 'customers:read', 'tickets:read', 'kb:read', 'jobs:read', 'reports:read', 'invoices:read'];

/** What each role may do; checked on every request, so a role change applies at once. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  admin: PERMISSIONS,
  agent: [...READ, 'customers:write', 'tickets:write', 'kb:write', 'jobs:write', 'invoices:write', 'ai:use'],
  technician: ['members:read', 'customers:read', 'tickets:read', 'kb:read', 'jobs:read', 'jobs:write', 'ai:use'],
  viewer: READ,
};

/** API keys act for integrations: they may not manage people, keys, AI provider credentials or the tenant itself. */
export const API_KEY_SCOPES: readonly Permission[] = PERMISSIONS.filter(
  (p) => p !== 'tenant:manage' && p !== 'members:manage' && p !== 'api-keys:manage' && p !== 'ai:admin' && p !== 'billing:manage',
);

/** Who may grant a role: nobody but an owner makes owners. */
export function canAssignRole(actorRole: string | undefined, role: Role): boolean {
  if (actorRole === 'owner') return true;
  return actorRole === 'admin' && role !== 'owner';
}
