import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, Deprecated, etagOf, type Page, PageQueryDto, ParseUuidPipe, requireIfMatch, RequirePermission } from '@switchboard/platform';
import { ChangeArticleStatusCommand } from '../commands/change-article-status/change-article-status.command';
import { CreateArticleCommand } from '../commands/create-article/create-article.command';
import { DeleteContainerCommand } from '../commands/delete-category-or-section/delete-container.command';
import { RestoreRevisionCommand } from '../commands/restore-revision/restore-revision.command';
import { SaveCategoryCommand } from '../commands/save-category/save-category.command';
import { SaveSectionCommand } from '../commands/save-section/save-section.command';
import { UpdateArticleCommand } from '../commands/update-article/update-article.command';
import { GetArticleQuery } from '../queries/get-article/get-article.query';
import { ListArticlesQuery } from '../queries/list-articles/list-articles.query';
import { ListCategoriesQuery } from '../queries/list-categories/list-categories.query';
import { ListRevisionsQuery, type RevisionView } from '../queries/list-revisions/list-revisions.query';
import { ListSectionsQuery } from '../queries/list-sections/list-sections.query';
import { SearchArticlesQuery } from '../queries/search-articles/search-articles.query';
import type { ArticleView, CategoryView, SectionView } from '../repositories/kb.sql';
import {
  ArticleListQueryDto,
  ArticlePageResponse,
  ArticleResponse,
  CategoryListQueryDto,
  CategoryPageResponse,
  CategoryResponse,
  CreateArticleDto,
  CreateCategoryDto,
  CreateSectionDto,
  RevisionPageResponse,
  RevisionResponse,
  SearchQueryDto,
  SearchResponse,
  searchPage,
  SEARCH_RESULTS_DEPRECATION,
  SectionListQueryDto,
  SectionPageResponse,
  SectionResponse,
  UpdateArticleDto,
  UpdateCategoryDto,
  UpdateSectionDto,
} from './dto';
import type { HeaderSink } from './request-info';

const withEtag = <T extends { version: number }>(res: HeaderSink, entity: T): T => {
  res.setHeader('ETag', etagOf(entity.version));
  return entity;
};

@ApiTags('Knowledge base')
@Controller('kb')
export class KnowledgeBaseController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('search')
  @RequirePermission('kb:read')
  @ApiOperation({ summary: 'Search published articles of every visibility (hybrid full text + vector)', description: 'Empty q is a 400; q over 1,000 characters is a 400.' })
  @Deprecated(SEARCH_RESULTS_DEPRECATION)
  @ApiOkResponse({ type: SearchResponse })
  async search(@Ctx() ctx: CommandContext, @Query() query: SearchQueryDto): Promise<SearchResponse> {
    return searchPage(await this.queries.execute(new SearchArticlesQuery({ tenantId: ctx.tenantId, audience: 'agent', ...query })));
  }

  @Post('categories')
  @RequirePermission('kb:write')
  @ApiOperation({ summary: 'Create a category' })
  @ApiCreatedResponse({ type: CategoryResponse })
  async createCategory(@Ctx() ctx: CommandContext, @Body() body: CreateCategoryDto, @Res({ passthrough: true }) res: HeaderSink): Promise<CategoryView> {
    return withEtag(res, await this.commands.execute(new SaveCategoryCommand(ctx, null, body)));
  }

  @Get('categories')
  @RequirePermission('kb:read')
  @ApiOperation({ summary: 'List categories in editor order' })
  @ApiOkResponse({ type: CategoryPageResponse })
  categories(@Ctx() ctx: CommandContext, @Query() query: CategoryListQueryDto): Promise<Page<CategoryView>> {
    return this.queries.execute(new ListCategoriesQuery(ctx.tenantId, query));
  }

  @Patch('categories/:id')
  @RequirePermission('kb:write')
  @ApiOperation({ summary: 'Change a category (If-Match required)' })
  @ApiHeader({ name: 'If-Match', required: true })
  @ApiOkResponse({ type: CategoryResponse })
  async updateCategory(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateCategoryDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<CategoryView> {
    return withEtag(res, await this.commands.execute(new SaveCategoryCommand(ctx, id, body, requireIfMatch(ifMatch, 'category'))));
  }

  @Delete('categories/:id')
  @RequirePermission('kb:write')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an empty category', description: '409 while it has sections.' })
  @ApiNoContentResponse()
  async deleteCategory(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new DeleteContainerCommand(ctx, 'category', id));
  }

  @Post('sections')
  @RequirePermission('kb:write')
  @ApiOperation({ summary: 'Create a section in a category (it takes the category’s locale)' })
  @ApiCreatedResponse({ type: SectionResponse })
  async createSection(@Ctx() ctx: CommandContext, @Body() body: CreateSectionDto, @Res({ passthrough: true }) res: HeaderSink): Promise<SectionView> {
    return withEtag(res, await this.commands.execute(new SaveSectionCommand(ctx, null, body)));
  }

  @Get('sections')
  @RequirePermission('kb:read')
  @ApiOperation({ summary: 'List sections in editor order' })
  @ApiOkResponse({ type: SectionPageResponse })
  sections(@Ctx() ctx: CommandContext, @Query() query: SectionListQueryDto): Promise<Page<SectionView>> {
    return this.queries.execute(new ListSectionsQuery(ctx.tenantId, query));
  }

  @Patch('sections/:id')
  @RequirePermission('kb:write')
  @ApiOperation({ summary: 'Change or move a section (If-Match required)' })
  @ApiHeader({ name: 'If-Match', required: true })
  @ApiOkResponse({ type: SectionResponse })
  async updateSection(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateSectionDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<SectionView> {
    return withEtag(res, await this.commands.execute(new SaveSectionCommand(ctx, id, body, requireIfMatch(ifMatch, 'section'))));
  }

  @Delete('sections/:id')
  @RequirePermission('kb:write')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an empty section', description: '409 while it has articles.' })
  @ApiNoContentResponse()
  async deleteSection(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new DeleteContainerCommand(ctx, 'section', id));
  }

  @Post('articles')
  @RequirePermission('kb:write')
  @ApiOperation({ summary: 'Create a draft article', description: 'Slug collisions are a 409; bodies over KB_ARTICLE_MAX_BYTES a 413.' })
  @ApiCreatedResponse({ type: ArticleResponse })
  @ApiPayloadTooLargeResponse({ description: 'Body over KB_ARTICLE_MAX_BYTES (problem+json)' })
  async createArticle(@Ctx() ctx: CommandContext, @Body() body: CreateArticleDto, @Res({ passthrough: true }) res: HeaderSink): Promise<ArticleView> {
    const article = await this.commands.execute(new CreateArticleCommand(ctx, body));
    res.setHeader('Location', `/v1/kb/articles/${article.id}`);
    return withEtag(res, article);
  }

  @Get('articles')
  @RequirePermission('kb:read')
  @ApiOperation({ summary: 'List articles in editor order' })
  @ApiOkResponse({ type: ArticlePageResponse })
  articles(@Ctx() ctx: CommandContext, @Query() query: ArticleListQueryDto): Promise<Page<ArticleView>> {
    return this.queries.execute(new ListArticlesQuery(ctx.tenantId, 'agent', query));
  }

  @Get('articles/:id')
  @RequirePermission('kb:read')
  @ApiOperation({ summary: 'Get an article' })
  @ApiOkResponse({ type: ArticleResponse })
  async article(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: HeaderSink): Promise<ArticleView> {
    const found = (await this.queries.execute(new GetArticleQuery(ctx.tenantId, { id }, 'agent'))) as { article: ArticleView };
    return withEtag(res, found.article);
  }

  @Patch('articles/:id')
  @RequirePermission('kb:write')
  @ApiOperation({ summary: 'Edit an article (If-Match required); content changes append a revision' })
  @ApiHeader({ name: 'If-Match', required: true })
  @ApiOkResponse({ type: ArticleResponse })
  @ApiPayloadTooLargeResponse({ description: 'Body over KB_ARTICLE_MAX_BYTES (problem+json)' })
  async updateArticle(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateArticleDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ArticleView> {
    return withEtag(res, await this.commands.execute(new UpdateArticleCommand(ctx, id, body, requireIfMatch(ifMatch, 'article'))));
  }

  @Post('articles/:id/publish')
  @HttpCode(200)
  @RequirePermission('kb:write')
  @ApiOperation({ summary: 'Publish an article (search picks it up within seconds)' })
  @ApiOkResponse({ type: ArticleResponse })
  async publish(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: HeaderSink): Promise<ArticleView> {
    return withEtag(res, await this.commands.execute(new ChangeArticleStatusCommand(ctx, id, 'published')));
  }

  @Post('articles/:id/archive')
  @HttpCode(200)
  @RequirePermission('kb:write')
  @ApiOperation({ summary: 'Archive an article (it leaves the help center and search)' })
  @ApiOkResponse({ type: ArticleResponse })
  async archive(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: HeaderSink): Promise<ArticleView> {
    return withEtag(res, await this.commands.execute(new ChangeArticleStatusCommand(ctx, id, 'archived')));
  }

  @Get('articles/:id/revisions')
  @RequirePermission('kb:read')
  @ApiOperation({ summary: 'An article’s revisions, newest first' })
  @ApiOkResponse({ type: RevisionPageResponse })
  revisions(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Query() page: PageQueryDto): Promise<Page<RevisionView>> {
    return this.queries.execute(new ListRevisionsQuery(ctx.tenantId, id, page));
  }

  @Get('articles/:id/revisions/:revisionId')
  @RequirePermission('kb:read')
  @ApiOperation({ summary: 'One revision, with its Markdown' })
  @ApiOkResponse({ type: RevisionResponse })
  async revision(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Param('revisionId', ParseUuidPipe) revisionId: string): Promise<RevisionView> {
    return (await this.queries.execute(new ListRevisionsQuery(ctx.tenantId, id, { limit: 1 }, revisionId))).data[0];
  }

  @Post('articles/:id/revisions/:revisionId/restore')
  @HttpCode(200)
  @RequirePermission('kb:write')
  @ApiOperation({ summary: 'Restore a revision’s content as a new revision', description: 'The slug stays; a revision of another article is a 404.' })
  @ApiOkResponse({ type: ArticleResponse })
  async restore(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Param('revisionId', ParseUuidPipe) revisionId: string,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ArticleView> {
    return withEtag(res, await this.commands.execute(new RestoreRevisionCommand(ctx, id, revisionId)));
  }
}
