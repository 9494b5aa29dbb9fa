import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsLocale } from '@switchboard/platform';

export class AnswerDto {
  @ApiProperty({ minLength: 1, maxLength: 1000, example: 'How do I reset my password?' }) @IsString() @MinLength(1) @MaxLength(1000) question: string;
  @ApiPropertyOptional({
    example: 'en',
    description: 'BCP 47 tag: retrieve only articles of this locale and answer in it. Absent: every locale, answered in the language of the question. A locale the knowledge base has no articles in is a 400.',
  })
  @IsOptional()
  @IsString()
  @IsLocale()
  locale?: string;
  @ApiPropertyOptional({ default: false, description: 'Server-Sent Events: `start`, `delta` ({text}), then `done` (the answer body) or `error`' }) @IsOptional() @IsBoolean() stream?: boolean;
}

export class AnswerCitationResponse {
  @ApiProperty({ format: 'uuid' }) articleId: string;
  @ApiProperty() title: string;
  @ApiProperty() slug: string;
  @ApiProperty({ example: 'en' }) locale: string;
  @ApiProperty({ description: 'Help-center page (public answers) or agent API path of the article', example: '/v1/help-center/demo/articles/reset-your-password?locale=en' }) url: string;
  @ApiProperty({ type: [Number], description: 'The [n] markers of the answer that point to this article' }) passages: number[];
}

export class AnswerUsageResponse {
  @ApiProperty() promptTokens: number;
  @ApiProperty() completionTokens: number;
}

export class AnswerResponse {
  @ApiProperty({ description: 'The answer, with [n] markers for its sources; or a sentence saying it was not found in the knowledge base' }) answer: string;
  @ApiProperty({ description: 'False when no passage was good enough (no model was called then), or the model found no answer in them' }) found: boolean;
  @ApiProperty({ type: [AnswerCitationResponse], description: 'Only articles whose passages were given to the model and cited; unknown numbers are dropped' }) citations: AnswerCitationResponse[];
  @ApiProperty({ nullable: true, type: String, description: 'Configured provider name; null when no model was called' }) provider: string | null;
  @ApiProperty({ nullable: true, type: String }) model: string | null;
  @ApiProperty({ description: 'True when the offline provider assembled the answer from the passages, without a language model' }) extractive: boolean;
  @ApiPropertyOptional({ type: AnswerUsageResponse, description: 'Tokens of the model call; absent when none was made' }) usage?: AnswerUsageResponse;
}
