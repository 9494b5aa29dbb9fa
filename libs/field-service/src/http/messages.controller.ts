import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, ParseUuidPipe, RequirePermission, type CommandContext } from '@switchboard/platform';
import { CancelMessageCommand } from '../commands/cancel-message/cancel-message.command';
import { UpdateMessageSettingsCommand } from '../commands/update-message-settings/update-message-settings.command';
import type { MessageSettings } from '../domain/messages';
import { GetMessageSettingsQuery } from '../queries/get-message-settings/get-message-settings.query';
import { ListJobMessagesQuery } from '../queries/list-job-messages/list-job-messages.query';
import type { MessageView } from '../repositories/messages.sql';
import { MessageListResponse, MessageResponse, MessageSettingsResponse, UpdateMessageSettingsDto } from './messages.dto';

/** The customer messages field service plans on its own (visit notices and reminders, service reminders) and their settings. */
@ApiTags('Field service')
@Controller('field-service')
export class MessagesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('jobs/:id/messages')
  @RequirePermission('jobs:read')
  @ApiOperation({
    summary: 'A job’s customer messages',
    description:
      'Confirmations, move and cancellation notices (with a calendar invite), reminders before visits, and service reminders, oldest first, with their status. They are planned by the worker moments after the change that causes them. Another tenant’s job: 404.',
  })
  @ApiOkResponse({ type: MessageListResponse })
  async list(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<{ data: MessageView[] }> {
    return { data: await this.queries.execute(new ListJobMessagesQuery(ctx.tenantId, id)) };
  }

  @Post('messages/:id/cancel')
  @HttpCode(200)
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Stop a message that has not gone out', description: 'A cancelled message stays cancelled (200, unchanged). Sent, being sent or failed: 409 message-not-pending. Another tenant’s message: 404.' })
  @ApiOkResponse({ type: MessageResponse })
  cancel(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<MessageView> {
    return this.commands.execute(new CancelMessageCommand(ctx, id));
  }

  @Get('settings')
  @RequirePermission('jobs:read')
  @ApiOperation({ summary: 'Messaging settings: reminder lead time, visit notices, service reminder hour' })
  @ApiOkResponse({ type: MessageSettingsResponse })
  settings(@Ctx() ctx: CommandContext): Promise<MessageSettings> {
    return this.queries.execute(new GetMessageSettingsQuery(ctx.tenantId));
  }

  @Patch('settings')
  @RequirePermission('tenant:manage')
  @ApiOperation({ summary: 'Change messaging settings', description: 'Fields absent stay as they are. Messages already planned keep their instants; visits booked or moved afterwards follow the new settings.' })
  @ApiOkResponse({ type: MessageSettingsResponse })
  updateSettings(@Ctx() ctx: CommandContext, @Body() body: UpdateMessageSettingsDto): Promise<MessageSettings> {
    return this.commands.execute(new UpdateMessageSettingsCommand(ctx, body));
  }
}
