import { Module } from '@nestjs/common';
import { ChangeArticleStatusHandler } from './commands/change-article-status/change-article-status.handler';
import { CreateArticleHandler } from './commands/create-article/create-article.handler';
import { DeleteContainerHandler } from './commands/delete-category-or-section/delete-container.handler';
import { IndexArticleHandler } from './commands/index-article/index-article.handler';
import { RecordFeedbackHandler } from './commands/record-feedback/record-feedback.handler';
import { RestoreRevisionHandler } from './commands/restore-revision/restore-revision.handler';
import { SaveCategoryHandler } from './commands/save-category/save-category.handler';
import { SaveSectionHandler } from './commands/save-section/save-section.handler';
import { ArticleContentChanges } from './commands/update-article/apply-article-content';
import { UpdateArticleHandler } from './commands/update-article/update-article.handler';
import { ArticleIndexer } from './indexing/article-indexer';
import { GetArticleHandler } from './queries/get-article/get-article.handler';
import { GetChunksHandler } from './queries/get-chunks/get-chunks.handler';
import { ListArticlesHandler } from './queries/list-articles/list-articles.handler';
import { ListCategoriesHandler } from './queries/list-categories/list-categories.handler';
import { ListRevisionsHandler } from './queries/list-revisions/list-revisions.handler';
import { ListSectionsHandler } from './queries/list-sections/list-sections.handler';
import { SearchArticlesHandler } from './queries/search-articles/search-articles.handler';
import { QueryExpansion } from './queries/search-articles/query-expansion';
import { ArticlesRepository } from './repositories/articles.repository';
import { CategoriesRepository } from './repositories/categories.repository';
import { ChunksRepository } from './repositories/chunks.repository';
import { FeedbackRepository } from './repositories/feedback.repository';
import { RevisionsRepository } from './repositories/revisions.repository';
import { SectionsRepository } from './repositories/sections.repository';
import { SynonymsRepository } from './repositories/synonyms.repository';
import { LearnedTermsRepository } from './repositories/learned-terms.repository';
import { SaveSynonymSetHandler } from './commands/save-synonym-set/save-synonym-set.handler';
import { DeleteSynonymSetHandler } from './commands/delete-synonym-set/delete-synonym-set.handler';
import { ForgetLearnedTermsHandler } from './commands/forget-learned-terms/forget-learned-terms.handler';
import { ListLearnedTermsHandler } from './queries/list-learned-terms/list-learned-terms.handler';
import { RecordArticleCitationHandler } from './commands/record-article-citation/record-article-citation.handler';
import { GetSynonymSetHandler, ListSynonymSetsHandler } from './queries/list-synonym-sets/list-synonym-sets.handler';

const repositories = [CategoriesRepository, SectionsRepository, ArticlesRepository, RevisionsRepository, FeedbackRepository, ChunksRepository, SynonymsRepository, LearnedTermsRepository];

/**
 * Knowledge base content, indexing and search: shared by api, worker, seed and the CLIs. Needs
 * from the process: the platform (TenantTransaction, EventConsumer, CQRS, the `kbConfig` slice,
 * all global through PlatformModule) and the EMBEDDINGS_PROVIDER of the (global) AiGatewayModule
 * each process configures.
 */
@Module({
  providers: [
    ...repositories,
    ArticleIndexer,
    ArticleContentChanges,
    SaveCategoryHandler,
    SaveSectionHandler,
    DeleteContainerHandler,
    CreateArticleHandler,
    UpdateArticleHandler,
    ChangeArticleStatusHandler,
    RestoreRevisionHandler,
    RecordFeedbackHandler,
    IndexArticleHandler,
    ListCategoriesHandler,
    ListSectionsHandler,
    ListArticlesHandler,
    GetArticleHandler,
    GetChunksHandler,
    ListRevisionsHandler,
    SearchArticlesHandler,
    QueryExpansion,
    SaveSynonymSetHandler,
    DeleteSynonymSetHandler,
    ForgetLearnedTermsHandler,
    ListLearnedTermsHandler,
    ListSynonymSetsHandler,
    GetSynonymSetHandler,
    RecordArticleCitationHandler,
  ],
  // For the context's own answers and worker modules; other contexts use its commands and queries.
  exports: [ArticleIndexer, CategoriesRepository, ChunksRepository],
})
export class KnowledgeBaseModule {}
