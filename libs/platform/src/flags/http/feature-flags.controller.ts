import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SYSTEM_TENANT_ID } from '../../database/data-source-options';
import type { CommandContext } from '../../database/command-context';
import { etagOf, parseIfMatch } from '../../http/if-match';
import { PlatformAdmin } from '../../http/platform-admin.guard';
import { operatorContextOf } from '../../http/command-context.decorator';
import type { SwitchboardRequest } from '../../http/request-context';
import { DeleteFeatureFlagCommand } from '../commands/delete-feature-flag/delete-feature-flag.command';
import { SaveFeatureFlagCommand } from '../commands/save-feature-flag/save-feature-flag.command';
import { FeatureFlagAdmin, type FeatureFlagView } from '../feature-flag-admin';
import type { FlagEvaluation } from '../feature-flag';
import { EvaluateFeatureFlagQueryDto, FeatureFlagEvaluationResponse, FeatureFlagPageResponse, FeatureFlagResponse, SaveFeatureFlagDto } from './feature-flags.dto';

const operator = (req: SwitchboardRequest): CommandContext => operatorContextOf(req, SYSTEM_TENANT_ID);

type HeaderSink = { setHeader(name: string, value: string): unknown };
const withEtag = (res: HeaderSink, view: FeatureFlagView) => {
  if (view.rule) res.setHeader('ETag', etagOf(view.rule.version));
  return view;
};

@ApiTags('Platform admin')
@PlatformAdmin()
@Controller('admin/feature-flags')
export class FeatureFlagsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly admin: FeatureFlagAdmin,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every feature flag the registered contexts declare, with its rule (null: it answers its default)' })
  @ApiOkResponse({ type: FeatureFlagPageResponse })
  async list(): Promise<FeatureFlagPageResponse> {
    return { data: await this.admin.list(), nextCursor: null };
  }

  @Get(':name')
  @ApiOperation({ summary: 'One feature flag and its rule' })
  @ApiOkResponse({ type: FeatureFlagResponse })
  @ApiNotFoundResponse({ description: 'No registered context declares it (problem+json)' })
  async get(@Param('name') name: string, @Res({ passthrough: true }) res: HeaderSink): Promise<FeatureFlagView> {
    return withEtag(res, await this.admin.get(name));
  }

  @Put(':name')
  @ApiOperation({
    summary: 'Set a feature flag’s rule (audited; every process sees it at once)',
    description: 'A per-tenant override wins over everything but expiry; `enabled: false` is the kill switch. If-Match with the rule’s ETag, or W/"0" for "only if it has none", guards against a concurrent edit (412).',
  })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: FeatureFlagResponse })
  async save(
    @Param('name') name: string,
    @Body() body: SaveFeatureFlagDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: SwitchboardRequest,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<FeatureFlagView> {
    await this.commands.execute(
      new SaveFeatureFlagCommand(
        operator(req),
        name,
        {
          kind: body.kind,
          enabled: body.enabled,
          percentage: body.percentage ?? 0,
          rolloutBy: body.rolloutBy ?? 'tenant',
          allowTenants: [...new Set(body.allowTenants ?? [])],
          allowUsers: [...new Set(body.allowUsers ?? [])],
          plans: [...new Set(body.plans ?? [])],
          tenantOverrides: body.tenantOverrides ?? {},
          expiresAt: body.expiresAt ?? null,
        },
        parseIfMatch(ifMatch),
      ),
    );
    return withEtag(res, await this.admin.get(name));
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a feature flag’s rule: it answers its declared default again (audited)' })
  @ApiNoContentResponse()
  async delete(@Param('name') name: string, @Req() req: SwitchboardRequest): Promise<void> {
    await this.commands.execute(new DeleteFeatureFlagCommand(operator(req), name));
  }

  @Get(':name/evaluate')
  @ApiOperation({ summary: 'What the flag answers for a tenant (and user) right now, and why' })
  @ApiOkResponse({ type: FeatureFlagEvaluationResponse })
  evaluate(@Param('name') name: string, @Query() query: EvaluateFeatureFlagQueryDto): Promise<FlagEvaluation> {
    return this.admin.evaluate(name, { tenantId: query.tenantId, userId: query.userId ?? null });
  }
}
