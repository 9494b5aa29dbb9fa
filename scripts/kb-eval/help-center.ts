import { randomBytes } from 'node:crypto';
import type { CommandBus } from '@nestjs/cqrs';
import { ChangeArticleStatusCommand, CreateArticleCommand, IndexArticleCommand, SaveCategoryCommand, SaveSectionCommand } from '../../libs/knowledge-base/src';
import type { CommandContext } from '../../libs/platform/src';
import { CreateTenantCommand } from '../../libs/tenancy/src';

/** An article of the labelled help center in `bench/kb-eval/articles.json`. */
export interface EvalArticle {
  id: string;
  product: string;
  title: string;
  body: string;
}

export interface EvalDataset {
  articles: EvalArticle[];
  products: Record<string, string>;
}

/**
 * The dataset as a fresh tenant's help center, through the product's own commands: a category
 * per product, one section each, every article published and indexed. `idOf` maps dataset ids
 * to article ids. `label` names the tenant (slug `<label>-<random>`).
 */
export async function loadHelpCenter(commands: CommandBus, data: EvalDataset, label: string): Promise<{ tenantId: string; idOf: Map<string, string> }> {
  const suffix = randomBytes(3).toString('hex');
  const actor = { actorId: null, actorType: 'system' as const, correlationId: label };
  const tenant = await commands.execute(
    new CreateTenantCommand(actor, {
      name: `Eval help center ${label}`,
      slug: `${label}-${suffix}`,
      timezone: 'UTC',
      locale: 'en',
      owner: { email: `owner-${label}-${suffix}@kb-eval.switchboard.local`, name: 'Eval Owner', password: randomBytes(12).toString('hex') },
    }),
  );
  const context: CommandContext = { ...actor, tenantId: tenant.id };
  const sections = new Map<string, string>();
  for (const [product, name] of Object.entries(data.products)) {
    const category = await commands.execute(new SaveCategoryCommand(context, null, { locale: 'en', name }));
    const section = await commands.execute(new SaveSectionCommand(context, null, { categoryId: category.id, name: `${name} help` }));
    sections.set(product, section.id);
  }
  const idOf = new Map<string, string>();
  for (const article of data.articles) {
    const created = await commands.execute(new CreateArticleCommand(context, { sectionId: sections.get(article.product)!, title: article.title, body: article.body, visibility: 'public' }));
    await commands.execute(new ChangeArticleStatusCommand(context, created.id, 'published'));
    await commands.execute(new IndexArticleCommand({ tenantId: tenant.id, articleId: created.id }));
    idOf.set(article.id, created.id);
  }
  return { tenantId: tenant.id, idOf };
}
