import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, ParseUuidPipe, RequirePermission } from '@switchboard/platform';
import { CreateApiKeyCommand } from '../commands/create-api-key/create-api-key.command';
import { RevokeApiKeyCommand } from '../commands/revoke-api-key/revoke-api-key.command';
import { ListApiKeysQuery } from '../queries/list-api-keys/list-api-keys.query';
import type { ApiKeyView } from '../repositories/api-keys.sql';
import { ApiKeyResponse, CreateApiKeyDto, CreatedApiKeyResponse } from './dto';

@ApiTags('API keys')
@RequirePermission('api-keys:manage')
@Controller('api-keys')
export class ApiKeysController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key; the secret is returned once' })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  create(@Ctx() ctx: CommandContext, @Body() body: CreateApiKeyDto): Promise<ApiKeyView & { key: string }> {
    return this.commands.execute(new CreateApiKeyCommand(ctx, body.name, body.scopes));
  }

  @Get()
  @ApiOperation({ summary: 'List API keys (prefix, scopes, last use; never the secret)' })
  @ApiOkResponse({ type: [ApiKeyResponse] })
  async list(@Ctx() ctx: CommandContext): Promise<{ data: ApiKeyView[] }> {
    return { data: await this.queries.execute(new ListApiKeysQuery(ctx.tenantId)) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key, effective immediately' })
  @ApiNoContentResponse()
  async revoke(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new RevokeApiKeyCommand(ctx, id));
  }
}
