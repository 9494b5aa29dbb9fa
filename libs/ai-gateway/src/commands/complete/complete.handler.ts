import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { completionFeature } from '../../features/gateway-features';
import { AiGateway, type GatewayResult, type GatewayStream } from '../../gateway/ai-gateway.service';
import { CompleteCommand, StreamCompletionCommand } from './complete.command';

@CommandHandler(CompleteCommand)
export class CompleteHandler implements ICommandHandler<CompleteCommand> {
  constructor(private readonly gateway: AiGateway) {}

  execute({ context, input, signal }: CompleteCommand): Promise<GatewayResult> {
    return this.gateway.complete(context, completionFeature, input, signal);
  }
}

/** Resolves once the first event is in (so errors are still plain problem+json), then streams. */
@CommandHandler(StreamCompletionCommand)
export class StreamCompletionHandler implements ICommandHandler<StreamCompletionCommand> {
  constructor(private readonly gateway: AiGateway) {}

  execute({ context, input, signal }: StreamCompletionCommand): Promise<GatewayStream> {
    return this.gateway.stream(context, completionFeature, input, signal);
  }
}
