import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction, type FieldError } from '@switchboard/platform';
import { canonicalLocale, isUiStringKey, placeholderProblems, templateKey } from '../../domain/message-templates';
import { MessageTemplatesRepository, type MessageTemplateView } from '../../repositories/message-templates.repository';
import { SaveMessageTemplateCommand } from './save-message-template.command';

export const unknownTemplateKey = (key: string) =>
  new ProblemException({ status: 404, type: 'not-found', title: 'Not Found', detail: `There is no message template "${key.slice(0, 100)}"; GET /v1/message-templates lists the keys.` });

/** Validates a template against its key (placeholders, subject) and saves it with an audit entry. */
@CommandHandler(SaveMessageTemplateCommand)
export class SaveMessageTemplateHandler implements ICommandHandler<SaveMessageTemplateCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly templates: MessageTemplatesRepository,
  ) {}

  async execute({ context, key, locale: requested, subject, body }: SaveMessageTemplateCommand): Promise<MessageTemplateView> {
    const definition = templateKey(key);
    if (!definition && !isUiStringKey(key)) throw unknownTemplateKey(key);
    const locale = canonicalLocale(requested);
    const errors: FieldError[] = [];
    if (!locale || locale.length > 35) errors.push({ field: 'locale', message: 'must be a language tag such as pt-BR' });
    const allowed = definition?.placeholders ?? [];
    for (const problem of placeholderProblems(body, allowed)) errors.push({ field: 'body', message: problem });
    if (definition?.subject) {
      if (!subject?.trim()) errors.push({ field: 'subject', message: 'is required for this template' });
      else for (const problem of placeholderProblems(subject, allowed)) errors.push({ field: 'subject', message: problem });
    } else if (subject !== null) {
      errors.push({ field: 'subject', message: 'this template has no subject' });
    }
    if (isUiStringKey(key) && body.includes('\n')) errors.push({ field: 'body', message: 'a UI string is one line' });
    if (errors.length) throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'The template is not valid for its key.', errors });
    return this.tx.run(context, async (tx) => {
      const before = await this.templates.find(tx, key, locale!, true);
      const saved = await this.templates.upsert(tx, { key, locale: locale!, subject: subject?.trim() ?? null, body });
      await tx.audit({ action: before ? 'message_template.updated' : 'message_template.created', entityType: 'message_template', entityId: `${key}:${locale}`, ...(before ? { before: { ...before } } : {}), after: { ...saved } });
      return saved;
    });
  }
}
