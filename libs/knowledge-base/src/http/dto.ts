import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { IsLocale, PageQueryDto } from '@switchboard/platform';
import { ARTICLE_STATUSES, VISIBILITIES } from '../repositories/kb.sql';

const csv = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value);

export class CreateCategoryDto {
  @ApiProperty({ example: 'en', description: 'BCP 47 language tag; fixed once created' }) @IsString() @IsLocale() locale: string;
  @ApiProperty({ maxLength: 200, example: 'Billing' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsInt() @Min(0) @Max(1_000_000) position?: number;
}

export class UpdateCategoryDto {
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(2000) description?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000) position?: number;
}

export class CreateSectionDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() categoryId: string;
  @ApiProperty({ maxLength: 200, example: 'Invoices' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsInt() @Min(0) @Max(1_000_000) position?: number;
}

export class UpdateSectionDto extends UpdateCategoryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Move to another category of the same locale' }) @IsOptional() @IsUUID() categoryId?: string;
}

export class CategoryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'en' }) locale: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() position: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class SectionResponse extends CategoryResponse {
  @ApiProperty({ format: 'uuid' }) categoryId: string;
}

export class CategoryPageResponse {
  @ApiProperty({ type: [CategoryResponse] }) data: CategoryResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class SectionPageResponse {
  @ApiProperty({ type: [SectionResponse] }) data: SectionResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

const BODY_DOC = 'Markdown; rendered to sanitised HTML. At most KB_ARTICLE_MAX_BYTES (512 KB by default) of UTF-8, else 413';

export class CreateArticleDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() sectionId: string;
  @ApiProperty({ maxLength: 300, example: 'Reset your password' }) @IsString() @MinLength(1) @MaxLength(300) title: string;
  @ApiProperty({ description: BODY_DOC }) @IsString() @MinLength(1) body: string;
  @ApiPropertyOptional({ maxLength: 200, description: 'Normalised (lowercase ASCII words and hyphens); derived from the title when absent' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200) slug?: string;
  @ApiPropertyOptional({ enum: VISIBILITIES, default: 'public' }) @IsOptional() @IsIn(VISIBILITIES) visibility?: 'public' | 'internal';
  @ApiPropertyOptional({ type: [String], example: ['password', 'login'] }) @IsOptional() @IsArray() @ArrayMaxSize(30) @IsString({ each: true }) @MaxLength(60, { each: true }) tags?: string[];
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsInt() @Min(0) @Max(1_000_000) position?: number;
}

export class UpdateArticleDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Another section of the same locale' }) @IsOptional() @IsUUID() sectionId?: string;
  @ApiPropertyOptional({ maxLength: 300 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(300) title?: string;
  @ApiPropertyOptional({ description: BODY_DOC }) @IsOptional() @IsString() @MinLength(1) body?: string;
  @ApiPropertyOptional({ maxLength: 200, description: 'Once the article has been published, changing it needs keepRedirect: true' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) slug?: string;
  @ApiPropertyOptional({ description: 'Keep the old slug answering with a 301 to the new one' }) @IsOptional() @IsBoolean() keepRedirect?: boolean;
  @ApiPropertyOptional({ enum: VISIBILITIES }) @IsOptional() @IsIn(VISIBILITIES) visibility?: 'public' | 'internal';
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(30) @IsString({ each: true }) @MaxLength(60, { each: true }) tags?: string[];
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000) position?: number;
}

export class FeedbackCountsResponse {
  @ApiProperty() helpful: number;
  @ApiProperty() unhelpful: number;
}

export class ArticleResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) sectionId: string;
  @ApiProperty({ format: 'uuid' }) categoryId: string;
  @ApiProperty() locale: string;
  @ApiProperty() title: string;
  @ApiProperty() slug: string;
  @ApiProperty({ description: 'Markdown as written' }) body: string;
  @ApiProperty({ description: 'Sanitised HTML' }) html: string;
  @ApiProperty({ enum: ARTICLE_STATUSES }) status: string;
  @ApiProperty({ enum: VISIBILITIES }) visibility: string;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ nullable: true, type: String }) authorId: string | null;
  @ApiProperty() position: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) publishedAt: string | null;
  @ApiProperty({ type: FeedbackCountsResponse }) feedback: FeedbackCountsResponse;
  @ApiProperty({ nullable: true, type: Number, description: 'Article version the search index reflects' }) indexedVersion: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class ArticlePageResponse {
  @ApiProperty({ type: [ArticleResponse] }) data: ArticleResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class PublicArticleResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) sectionId: string;
  @ApiProperty({ format: 'uuid' }) categoryId: string;
  @ApiProperty() locale: string;
  @ApiProperty() title: string;
  @ApiProperty() slug: string;
  @ApiProperty({ description: 'Sanitised HTML' }) html: string;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) publishedAt: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class PublicArticlePageResponse {
  @ApiProperty({ type: [PublicArticleResponse] }) data: PublicArticleResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class CategoryListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'en' }) @IsOptional() @IsString() @IsLocale() locale?: string;
}

export class SectionListQueryDto extends CategoryListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() categoryId?: string;
}

export class PublicArticleListQueryDto extends SectionListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() sectionId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(60) tag?: string;
}

export class ArticleListQueryDto extends PublicArticleListQueryDto {
  @ApiPropertyOptional({ enum: ARTICLE_STATUSES }) @IsOptional() @IsIn(ARTICLE_STATUSES) status?: 'draft' | 'published' | 'archived';
  @ApiPropertyOptional({ enum: VISIBILITIES }) @IsOptional() @IsIn(VISIBILITIES) visibility?: 'public' | 'internal';
}

export class RevisionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) articleId: string;
  @ApiProperty() number: number;
  @ApiProperty() title: string;
  @ApiProperty() slug: string;
  @ApiProperty() visibility: string;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ format: 'uuid' }) sectionId: string;
  @ApiProperty({ type: Object, description: '{ fields: [...], body?: { linesAdded, linesRemoved, charsBefore, charsAfter } }' }) summary: Record<string, unknown>;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The revision this one restored' }) restoredFrom: string | null;
  @ApiProperty() actorType: string;
  @ApiProperty({ nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ description: 'Markdown (single revision only)' }) body?: string;
}

export class RevisionPageResponse {
  @ApiProperty({ type: [RevisionResponse] }) data: RevisionResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class FeedbackDto {
  @ApiProperty({ description: 'Was the article helpful?' }) @IsBoolean() helpful: boolean;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) comment?: string;
  @ApiPropertyOptional({ maxLength: 100, description: 'A stable id the help center keeps per visitor; without it the IP and user agent identify the visitor' })
  @IsOptional() @IsString() @MinLength(8) @MaxLength(100) visitorId?: string;
}

export class FeedbackResponse {
  @ApiProperty({ format: 'uuid' }) articleId: string;
  @ApiProperty() helpful: number;
  @ApiProperty() unhelpful: number;
  @ApiProperty({ description: 'False when this visitor had answered before and the answer was replaced' }) counted: boolean;
}

export class PublicSearchQueryDto {
  @ApiProperty({ maxLength: 1000, description: 'Search text (websearch syntax: "quoted phrase", or, -not)' }) @IsString() @MaxLength(1000) q: string;
  @ApiPropertyOptional({ example: 'en' }) @IsOptional() @IsString() @IsLocale() locale?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() categoryId?: string;
  @ApiPropertyOptional({ description: 'Comma list; every tag must match', example: 'billing,refund' })
  @IsOptional() @Transform(csv) @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(60, { each: true }) tags?: string[];
  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 10 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(50) limit?: number;
}

export class SearchQueryDto extends PublicSearchQueryDto {
  @ApiPropertyOptional({ enum: ['hybrid', 'lexical', 'dense'], default: 'hybrid', description: 'Retrieval path, for comparing them' })
  @IsOptional() @IsIn(['hybrid', 'lexical', 'dense']) mode?: 'hybrid' | 'lexical' | 'dense';
}

export class SearchResultResponse {
  @ApiProperty({ format: 'uuid' }) articleId: string;
  @ApiProperty() title: string;
  @ApiProperty() slug: string;
  @ApiProperty() locale: string;
  @ApiProperty({ format: 'uuid', description: 'The passage that matched best' }) chunkId: string;
  @ApiProperty({ description: 'Heading path of that passage' }) heading: string;
  @ApiProperty({ description: 'HTML-escaped text; matched terms in <mark>' }) snippet: string;
  @ApiProperty({ description: 'Reciprocal rank fusion score, higher is better' }) score: number;
}

/** The list shape every other list has; `results` stays for a deprecation window. */
export class SearchResponse {
  @ApiProperty({ type: [SearchResultResponse], description: 'Best first; at most `limit`' }) data: SearchResultResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Always null: a search answers its best page only' }) nextCursor: null;
  @ApiProperty({ type: [SearchResultResponse], deprecated: true, description: 'The same list as `data`; removed after 2027-06-30 (see the `Deprecation` and `Sunset` headers)' })
  results: SearchResultResponse[];
}

/** `results` of the search answers: deprecated since 2026-12-01, answered until 2027-06-30 (see `@Deprecated`). */
export const SEARCH_RESULTS_DEPRECATION = { since: '2026-12-01', sunset: '2027-06-30', fields: ['results'], reason: '`results` repeats `data`; read `data`, the list shape every other list has.' } as const;

/** What the search routes answer: `data`, plus the old `results` until the sunset. */
export function searchPage(found: { results: SearchResultResponse[] }): SearchResponse {
  return { data: found.results, nextCursor: null, results: found.results };
}

export class HelpCenterArticleQueryDto {
  @ApiPropertyOptional({ description: 'Locale of the slug; the tenant’s default locale when absent' }) @IsOptional() @IsString() @IsLocale() locale?: string;
}

export class SynonymSetDto {
  @ApiProperty({
    type: [String],
    minItems: 2,
    maxItems: 20,
    example: ['wi-fi', 'wlan', 'wireless network'],
    description: 'Words or phrases (up to 3 words each) that mean the same to this tenant; stored lower-cased with punctuation folded ("Wi-Fi" → "wi fi")',
  })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  terms: string[];
}

export class SynonymSetResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: [String], example: ['wi fi', 'wlan', 'wireless network'] }) terms: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class SynonymSetPageResponse {
  @ApiProperty({ type: [SynonymSetResponse] }) data: SynonymSetResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class SynonymListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ maxLength: 200, description: 'Only the sets holding this term (compared as stored: lower-cased, punctuation folded)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  term?: string;
}

export class LearnedTermsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'The strongest this many words' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;
}

export class LearnedTermResponse {
  @ApiProperty({ example: 'password', description: "A lexeme of the article's text search configuration (stemmed: billing → bill)" }) lexeme: string;
  @ApiProperty({ example: 2.71, description: 'Evidence today: each citation added 1, halving every half-life since' }) weight: number;
  @ApiProperty({ format: 'date-time', description: 'The last citation that added to it' }) updatedAt: string;
}

export class LearnedTermsResponse {
  @ApiProperty({ format: 'uuid' }) articleId: string;
  @ApiProperty({ description: 'KB_LEARNED_HALF_LIFE_DAYS: evidence counts half after this many days unless renewed' }) halfLifeDays: number;
  @ApiProperty({ type: [LearnedTermResponse] }) data: LearnedTermResponse[];
}

export class ForgottenTermsResponse {
  @ApiProperty({ type: [String], description: 'The lexemes forgotten' }) forgotten: string[];
}
