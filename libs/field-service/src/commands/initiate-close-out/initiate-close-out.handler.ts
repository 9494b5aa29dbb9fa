import { Logger } from '@nestjs/common';
import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { AiGateway, PromptTemplates, structuredValidated } from '@switchboard/ai-gateway';
import { CONTACT_ATTRIBUTE_KEYS } from '@switchboard/customers';
import { notFound, ProblemException, TenantTransaction, type CommandContext, type TenantTx } from '@switchboard/platform';
import { Ajv } from 'ajv';
import { closeOutExtractionFeature } from '../../ai/close-out-extraction.feature';
import { extractionSchema, MAX_CLOSE_OUT_MINUTES, MAX_NOTES_LENGTH, toSuggestions, type AttributeSuggestion, type ExtractionAnswer, type ExtractionOutcome } from '../../domain/close-out';
import { conflict, unprocessable } from '../../domain/problems';
import { assertJobOpen } from '../../domain/status';
import { assertOnJob } from '../../domain/technician';
import { CloseOutsRepository } from '../../repositories/close-outs.repository';
import type { CloseOutView } from '../../repositories/close-outs.sql';
import { JobsRepository } from '../../repositories/jobs.repository';
import { VisitsRepository } from '../../repositories/visits.repository';
import { InitiateCloseOutCommand } from './initiate-close-out.command';

/** A finalized close-out is the end of the job's story: 409 naming it. */
export const alreadyClosedOut = (jobId: string) => conflict('close-out-finalized', `Job ${jobId} was already closed out; a finalized close-out never changes.`, { currentStatus: 'finalized' });

/**
 * Stores the technician's notes and duration as a draft awaiting confirmation, with the
 * attributes the AI read from the notes. The model is called between two short transactions,
 * never inside one (ADR 0018). A provider that is down, over budget or not configured, or an
 * answer out of schema twice, leaves a draft without suggestions and says why: the technician
 * closes out by hand. Initiating again replaces a draft that was not finalized.
 */
@CommandHandler(InitiateCloseOutCommand)
export class InitiateCloseOutHandler implements ICommandHandler<InitiateCloseOutCommand> {
  private readonly logger = new Logger(InitiateCloseOutHandler.name);
  private readonly validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile<ExtractionAnswer>(extractionSchema());

  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly gateway: AiGateway,
    private readonly templates: PromptTemplates,
    private readonly jobs: JobsRepository,
    private readonly visits: VisitsRepository,
    private readonly closeOuts: CloseOutsRepository,
  ) {}

  async execute({ context, jobId, input }: InitiateCloseOutCommand): Promise<CloseOutView> {
    const notes = input.notes.trim();
    if (!notes || notes.length > MAX_NOTES_LENGTH) throw unprocessable('notes', `Close-out notes are 1 to ${MAX_NOTES_LENGTH} characters.`);
    if (!Number.isInteger(input.durationMinutes) || input.durationMinutes < 1 || input.durationMinutes > MAX_CLOSE_OUT_MINUTES) {
      throw unprocessable('durationMinutes', `The duration is a whole number of minutes from 1 to ${MAX_CLOSE_OUT_MINUTES}.`);
    }
    await this.tx.run(context, (tx) => this.assertClosable(tx, context, jobId, false));

    const { suggestions, extraction } = await this.extract(context, notes);

    return this.tx.run(context, async (tx) => {
      const existed = await this.assertClosable(tx, context, jobId, true);
      const draft = await this.closeOuts.saveDraft(tx, jobId, { notes, durationMinutes: input.durationMinutes, suggestions, extraction, initiatedBy: context.actorId });
      if (!draft) throw alreadyClosedOut(jobId);
      await this.jobs.recordHistory(tx, jobId, null, existed ? 'job.close_out_restarted' : 'job.close_out_started', {
        durationMinutes: { to: input.durationMinutes },
        extraction: { to: extraction.status },
        suggestedKeys: { to: suggestions.map((s) => s.key) },
      });
      await tx.audit({ action: 'field_service.close_out_initiated', entityType: 'field_service_job', entityId: jobId, after: { durationMinutes: input.durationMinutes, extraction: extraction.status, suggestions } });
      return draft;
    });
  }

  /** The job exists here, is open, has no finalized close-out, and the caller may close it out; true when a draft exists. */
  private async assertClosable(tx: TenantTx, context: CommandContext, jobId: string, lock: boolean): Promise<boolean> {
    const job = lock ? await this.jobs.findForUpdate(tx, jobId) : await this.jobs.find(tx, jobId);
    if (!job) throw notFound('Job', jobId);
    const existing = await this.closeOuts.find(tx, jobId, lock);
    if (existing?.status === 'finalized') throw alreadyClosedOut(jobId);
    assertJobOpen(jobId, job.status);
    await assertOnJob(this.queries, context, jobId, await this.visits.ofJob(tx, jobId));
    return existing !== undefined;
  }

  private async extract(context: CommandContext, notes: string): Promise<{ suggestions: AttributeSuggestion[]; extraction: ExtractionOutcome }> {
    try {
      const rendered = await this.templates.render(context, closeOutExtractionFeature, { notes, keys: [...CONTACT_ATTRIBUTE_KEYS] });
      const answer = await structuredValidated(
        this.gateway,
        context,
        closeOutExtractionFeature,
        { messages: rendered.messages, template: rendered.template, schema: extractionSchema(), schemaName: 'close_out_attributes', temperature: 0 },
        this.validate,
      );
      const { provider, model } = answer.result;
      if (answer.valid) return { suggestions: toSuggestions(answer.data), extraction: { status: 'ok', detail: null, provider, model } };
      const fields = [...new Set(answer.problems.map((p) => p.field || '(root)'))].join(', ');
      return { suggestions: [], extraction: { status: 'invalid', detail: `The ${provider} model's answer did not match the attribute schema twice (fields: ${fields}); close out by hand.`, provider, model } };
    } catch (error) {
      const detail = error instanceof ProblemException ? error.problem.detail : 'The AI provider could not be reached.';
      this.logger.warn(`Close-out extraction unavailable: ${error instanceof Error ? error.message : String(error)}`);
      return { suggestions: [], extraction: { status: 'unavailable', detail: `${detail} Close out by hand.`, provider: null, model: null } };
    }
  }
}
