import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, parseIfMatch, ParseUuidPipe, RequirePermission } from '@switchboard/platform';
import type { Response } from 'express';
import { MergeTicketsCommand, type TicketsMerged } from '../commands/merge-tickets/merge-tickets.command';
import { MergeResponse, MergeTicketDto } from './macros.dto';

/** Merging a duplicate ticket into the one that carries on the conversation. */
@ApiTags('Tickets')
@Controller('tickets')
export class TicketMergeController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/merge')
  @HttpCode(200)
  @RequirePermission('tickets:write')
  @ApiOperation({
    summary: 'Merge this ticket into another',
    description:
      'Messages, attachments, participants, tags and history move to the target; this ticket is closed with mergedIntoId, the target lists it in mergedFrom, and its requester’s later replies land in the target. Into itself: 422; into a closed, deleted or merged ticket, or from a closed or merged one: 409; an unknown id: 404.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'This ticket’s ETag from your last read' })
  @ApiOkResponse({ type: MergeResponse })
  async merge(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: MergeTicketDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TicketsMerged> {
    const merged = await this.commands.execute(new MergeTicketsCommand(ctx, id, body.targetId, parseIfMatch(ifMatch)));
    res.setHeader('ETag', etagOf(merged.source.version));
    return merged;
  }
}
