import { Query } from '@nestjs/cqrs';

/** A user the tenant's directory provisioned: its SCIM id (what SCIM Group members name) and the user behind it. */
export interface ScimDirectoryUser {
  scimId: string;
  userId: string;
  userName: string;
  displayName: string | null;
  active: boolean;
}

/** The tenant's SCIM-provisioned users, for contexts that serve other SCIM resources (Groups). */
export class ScimDirectoryUsersQuery extends Query<ScimDirectoryUser[]> {
  constructor(readonly tenantId: string) {
    super();
  }
}
