import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { Role } from '../../domain/roles';
import type { SsoConnectionView } from '../../sso/sso.sql';

export interface SsoSettingsInput {
  enabled: boolean;
  issuer: string;
  clientId: string;
  /** undefined: keep the stored secret; null: clear it (a public client). */
  clientSecret?: string | null;
  domains: string[];
  jitProvisioning: boolean;
  defaultRole: Exclude<Role, 'owner'>;
  ssoOnly: boolean;
  breakGlassUserId: string | null;
}

export class SsoConfigureCommand extends Command<SsoConnectionView> {
  constructor(
    readonly context: CommandContext,
    readonly input: SsoSettingsInput,
    /** The version the caller last read (If-Match), or undefined. */
    readonly expectedVersion: number | undefined,
  ) {
    super();
  }
}
