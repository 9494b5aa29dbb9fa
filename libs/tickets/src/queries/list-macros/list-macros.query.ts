import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { MacroView } from '../../repositories/macros.sql';

/** The tenant's macros by name; `active` keeps only those switched on (or off). */
export class ListMacrosQuery extends Query<Page<MacroView>> {
  constructor(
    readonly tenantId: string,
    readonly page: { limit: number; cursor?: string; active?: boolean },
  ) {
    super();
  }
}

export class GetMacroQuery extends Query<MacroView> {
  constructor(
    readonly tenantId: string,
    readonly macroId: string,
  ) {
    super();
  }
}
