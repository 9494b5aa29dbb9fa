import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiMovedPermanentlyResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Deprecated, notFound, type Page, ParseUuidPipe, Public, RateLimit } from '@switchboard/platform';
import { FindPublicTenantQuery, type PublicTenant } from '@switchboard/tenancy';
import { RecordFeedbackCommand, type FeedbackResult } from '../commands/record-feedback/record-feedback.command';
import { GetArticleQuery } from '../queries/get-article/get-article.query';
import { ListArticlesQuery } from '../queries/list-articles/list-articles.query';
import { ListCategoriesQuery } from '../queries/list-categories/list-categories.query';
import { ListSectionsQuery } from '../queries/list-sections/list-sections.query';
import { SearchArticlesQuery } from '../queries/search-articles/search-articles.query';
import { toPublicArticle, type ArticleView, type CategoryView, type PublicArticleView, type SectionView } from '../repositories/kb.sql';
import {
  CategoryListQueryDto,
  CategoryPageResponse,
  FeedbackDto,
  FeedbackResponse,
  HelpCenterArticleQueryDto,
  PublicArticleListQueryDto,
  PublicArticlePageResponse,
  PublicArticleResponse,
  PublicSearchQueryDto,
  SearchResponse,
  searchPage,
  SEARCH_RESULTS_DEPRECATION,
  SectionListQueryDto,
  SectionPageResponse,
} from './dto';
import { Visitor, type HeaderSink, type VisitorInfo } from './request-info';
import { HelpCenterRateLimit } from '../knowledge-base.context';

/**
 * The public help center: no credential, the tenant named by its slug in the path, and only
 * published public articles ever visible. The slug look-up is the one privileged step;
 * everything after runs in that tenant's transaction under row-level security.
 */
@ApiTags('Help center (public)')
@Controller('help-center/:tenantSlug')
@Public()
@RateLimit(HelpCenterRateLimit)
@ApiNotFoundResponse({ description: 'No active help center with this slug, or no such published public article (problem+json)' })
export class HelpCenterController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private async tenant(slug: string): Promise<PublicTenant> {
    const tenant = await this.queries.execute(new FindPublicTenantQuery(slug));
    if (!tenant) throw notFound('Help center', `"${slug.slice(0, 80)}"`);
    return tenant;
  }

  @Get('categories')
  @ApiOperation({ summary: 'Categories of a help center' })
  @ApiOkResponse({ type: CategoryPageResponse })
  async categories(@Param('tenantSlug') slug: string, @Query() query: CategoryListQueryDto): Promise<Page<CategoryView>> {
    const tenant = await this.tenant(slug);
    return this.queries.execute(new ListCategoriesQuery(tenant.id, query));
  }

  @Get('sections')
  @ApiOperation({ summary: 'Sections of a help center' })
  @ApiOkResponse({ type: SectionPageResponse })
  async sections(@Param('tenantSlug') slug: string, @Query() query: SectionListQueryDto): Promise<Page<SectionView>> {
    const tenant = await this.tenant(slug);
    return this.queries.execute(new ListSectionsQuery(tenant.id, query));
  }

  @Get('articles')
  @ApiOperation({ summary: 'Published public articles' })
  @ApiOkResponse({ type: PublicArticlePageResponse })
  async articles(@Param('tenantSlug') slug: string, @Query() query: PublicArticleListQueryDto): Promise<Page<PublicArticleView>> {
    const tenant = await this.tenant(slug);
    const page: Page<ArticleView> = await this.queries.execute(new ListArticlesQuery(tenant.id, 'public', query));
    return { data: page.data.map(toPublicArticle), nextCursor: page.nextCursor };
  }

  @Get('articles/:articleSlug')
  @ApiOperation({ summary: 'A published public article by slug', description: 'An old slug kept as a redirect answers 301 with the current location.' })
  @ApiOkResponse({ type: PublicArticleResponse })
  @ApiMovedPermanentlyResponse({ description: 'The slug moved; follow Location' })
  async article(
    @Param('tenantSlug') slug: string,
    @Param('articleSlug') articleSlug: string,
    @Query() query: HelpCenterArticleQueryDto,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<PublicArticleView | { redirectTo: string }> {
    const tenant = await this.tenant(slug);
    const locale = query.locale ?? tenant.locale;
    const found = await this.queries.execute(new GetArticleQuery(tenant.id, { locale, slug: articleSlug }, 'public'));
    if ('redirectTo' in found) {
      res.status(301);
      res.setHeader('Location', `/v1/help-center/${tenant.slug}/articles/${found.redirectTo}?locale=${encodeURIComponent(locale)}`);
      return { redirectTo: found.redirectTo };
    }
    return toPublicArticle(found.article);
  }

  @Get('search')
  @ApiOperation({ summary: 'Search published public articles' })
  @Deprecated(SEARCH_RESULTS_DEPRECATION)
  @ApiOkResponse({ type: SearchResponse })
  async search(@Param('tenantSlug') slug: string, @Query() query: PublicSearchQueryDto): Promise<SearchResponse> {
    const tenant = await this.tenant(slug);
    return searchPage(await this.queries.execute(new SearchArticlesQuery({ tenantId: tenant.id, audience: 'public', mode: 'hybrid', ...query })));
  }

  @Post('articles/:articleId/feedback')
  @HttpCode(200)
  @ApiOperation({ summary: 'Was this article helpful? One answer per visitor; answering again replaces it' })
  @ApiOkResponse({ type: FeedbackResponse })
  async feedback(
    @Param('tenantSlug') slug: string,
    @Param('articleId', ParseUuidPipe) articleId: string,
    @Body() body: FeedbackDto,
    @Visitor() visitor: VisitorInfo,
  ): Promise<FeedbackResult> {
    const tenant = await this.tenant(slug);
    const context: CommandContext = { tenantId: tenant.id, actorId: null, actorType: 'system', correlationId: visitor.requestId, ip: visitor.ip, userAgent: visitor.userAgent };
    return this.commands.execute(new RecordFeedbackCommand(context, articleId, body, visitor, 'public'));
  }
}
