import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AiGateway, type TokenUsage } from '@switchboard/ai-gateway';
import { answerFeature } from '../../ai/answer-feature';
import { AnswerQuestionCommand, StreamAnswerCommand, type AnswerResult, type AnswerStream } from './answer-question.command';
import { NOT_FOUND_SENTINEL } from './answer-messages';
import { ANSWER_MAX_TOKENS, AnswerPipeline, notFound } from './answer-pipeline';

const REQUEST = { maxTokens: ANSWER_MAX_TOKENS, temperature: 0.1 };

/** One question, one metered call (feature `answer`) — or none when retrieval is weak. */
@CommandHandler(AnswerQuestionCommand)
export class AnswerQuestionHandler implements ICommandHandler<AnswerQuestionCommand> {
  constructor(
    private readonly pipeline: AnswerPipeline,
    private readonly gateway: AiGateway,
  ) {}

  async execute({ context, input, signal }: AnswerQuestionCommand): Promise<AnswerResult> {
    const prepared = await this.pipeline.prepare(context, input, signal);
    if (!prepared) return notFound(null);
    const result = await this.gateway.complete(context, answerFeature, { messages: prepared.messages, template: prepared.template, ...REQUEST }, signal);
    return this.pipeline.finish(result.text, prepared, { provider: result.provider, model: result.model, extractive: result.extractive === true, usage: result.usage, budgetWarning: result.warning }, input);
  }
}

/**
 * The streamed variant. A reply that may still become the NOT_FOUND sentinel is held back, so a
 * reader never sees the sentinel flash by; everything else passes through as it arrives.
 */
@CommandHandler(StreamAnswerCommand)
export class StreamAnswerHandler implements ICommandHandler<StreamAnswerCommand> {
  constructor(
    private readonly pipeline: AnswerPipeline,
    private readonly gateway: AiGateway,
  ) {}

  async execute({ context, input, signal }: StreamAnswerCommand): Promise<AnswerStream> {
    const prepared = await this.pipeline.prepare(context, input, signal);
    if (!prepared) return { provider: null, model: null, budgetWarning: null, deltas: (async function* () {})(), result: () => notFound(null) };
    const opened = await this.gateway.stream(context, answerFeature, { messages: prepared.messages, template: prepared.template, ...REQUEST }, signal);
    let text = '';
    let usage: TokenUsage | undefined;
    let model = opened.model;
    let extractive = false;
    let ended = false;
    async function* deltas(): AsyncIterable<string> {
      let held = '';
      for await (const event of opened.events) {
        if (event.type === 'done') {
          usage = event.usage ?? undefined;
          model = event.model || model;
          extractive = event.extractive === true;
          continue;
        }
        text += event.text;
        held += event.text;
        if (NOT_FOUND_SENTINEL.startsWith(held.trim())) continue;
        yield held;
        held = '';
      }
      ended = true;
      if (held && !NOT_FOUND_SENTINEL.startsWith(held.trim())) yield held;
    }
    return {
      provider: opened.provider,
      model: opened.model,
      budgetWarning: opened.warning,
      deltas: deltas(),
      result: () => {
        if (!ended) throw new Error('The answer stream has not ended yet.');
        return this.pipeline.finish(text, prepared, { provider: opened.provider, model, extractive, usage, budgetWarning: opened.warning }, input);
      },
    };
  }
}
