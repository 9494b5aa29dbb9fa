import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, notFound, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { MacrosRepository } from '../../repositories/macros.repository';
import type { MacroView } from '../../repositories/macros.sql';
import { GetMacroQuery, ListMacrosQuery } from './list-macros.query';

const reading = (tenantId: string) => ({ tenantId, actorId: null, correlationId: null });

/** Macros by name, each marked `broken` when a group or checklist template it names is gone. */
@QueryHandler(ListMacrosQuery)
export class ListMacrosHandler implements IQueryHandler<ListMacrosQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly macros: MacrosRepository,
  ) {}

  execute({ tenantId, page }: ListMacrosQuery): Promise<Page<MacroView>> {
    const after = page.cursor ? (decodeCursor(page.cursor, 2) as [string, string]) : undefined;
    return this.tx.run(reading(tenantId), async (tx) => {
      const rows = await this.macros.list(tx, { limit: page.limit, after, active: page.active });
      return toPage(rows, page.limit, (m) => [m.name.toLowerCase(), m.id]);
    });
  }
}

@QueryHandler(GetMacroQuery)
export class GetMacroHandler implements IQueryHandler<GetMacroQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly macros: MacrosRepository,
  ) {}

  execute({ tenantId, macroId }: GetMacroQuery): Promise<MacroView> {
    return this.tx.run(reading(tenantId), async (tx) => {
      const macro = await this.macros.find(tx, macroId);
      if (!macro) throw notFound('Macro', macroId);
      return macro;
    });
  }
}
