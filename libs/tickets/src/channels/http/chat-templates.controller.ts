import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, ParseUuidPipe, RequirePermission } from '@switchboard/platform';
import { MessageResponse } from '../../http/dto';
import type { MessageView } from '../../repositories/messages.sql';
import { SendWhatsAppTemplateCommand } from '../commands/send-whatsapp-template/send-whatsapp-template.command';
import { SendWhatsAppTemplateDto } from './channels.dto';

/** Replies that only a chat channel knows how to send. */
@ApiTags('Channels')
@Controller('tickets')
export class ChatTemplatesController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/whatsapp-template')
  @RequirePermission('tickets:write')
  @ApiOperation({
    summary: 'Reply with an approved WhatsApp template',
    description: 'The only reply WhatsApp delivers more than 24 hours after the customer last wrote (a free-text reply is then refused with 422 whatsapp-window-closed). 422 not-a-whatsapp-conversation when the ticket is not on WhatsApp.',
  })
  @ApiCreatedResponse({ type: MessageResponse })
  send(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: SendWhatsAppTemplateDto): Promise<MessageView> {
    return this.commands.execute(new SendWhatsAppTemplateCommand(ctx, id, { name: body.name, language: body.language, parameters: body.parameters }, body.body));
  }
}
