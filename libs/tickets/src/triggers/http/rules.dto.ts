import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { PRIORITIES, STATUSES, TYPES } from '../../domain/ticket';

const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const nullable = ValidateIf((_, v) => v !== null);

const CONDITIONS_DOC = {
  type: 'object',
  description:
    'Every condition of `all` holds, and one of `any` when it has some. Condition types: `field` (status, priority, type, channel, group, assignee, requester, organization; op is / is_not), ' +
    '`tags` (include_any, include_all, exclude), `custom_field` (is, is_not, present, absent), `business_hours` ({ within }) and `time_of_day` ({ from, to, days }) in the ticket group’s calendar; ' +
    'triggers only: `changed` ({ field, from?, to? }), `tag_added`, `tag_removed`, `created`, `message_added` ({ by: requester|agent|any, visibility: public|internal|any }) — a trigger needs one of these; ' +
    'automations only: `hours_since` ({ since: created|updated|status_changed, hours }) — an automation needs one in `all`.',
  example: { all: [{ type: 'changed', field: 'priority', to: 'urgent' }, { type: 'field', field: 'group', op: 'is', value: null }], any: [] },
} as const;
const ACTIONS_DOC = {
  type: 'array',
  items: { type: 'object' },
  description:
    'The macros’ actions (set_status, set_priority, set_type, set_group, set_assignee, add_tags, remove_tags, set_custom_field, add_reply with placeholders such as {{ticket.requester.name}}), ' +
    'plus `add_localized_reply` ({ visibility, bodies: { en: "…", "pt-BR": "…" }, fallback }: the body in the requester’s language, else the fallback’s) ' +
    'and `notify_webhook` ({ topic, note? }): publishes `trigger.webhook` to the tenant’s webhook endpoints.',
  example: [{ type: 'set_group', value: '00000000-0000-4000-8000-000000000000' }, { type: 'notify_webhook', topic: 'escalations' }],
} as const;

export class CreateRuleDto {
  @ApiProperty({ maxLength: 100 }) @Trim() @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiPropertyOptional({ maxLength: 1000, nullable: true, type: String }) @IsOptional() @nullable @IsString() @MaxLength(1000) description?: string | null;
  @ApiPropertyOptional({ minimum: 0, maximum: 10000, default: 0, description: 'Rules run in this order (then oldest first)' }) @IsOptional() @IsInt() @Min(0) @Max(10000) position?: number;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
  @ApiProperty(CONDITIONS_DOC as never) @IsObject() conditions: Record<string, unknown>;
  @ApiProperty(ACTIONS_DOC as never) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(30) actions: unknown[];
}

export class UpdateRuleDto {
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @Trim() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional({ maxLength: 1000, nullable: true, type: String }) @IsOptional() @nullable @IsString() @MaxLength(1000) description?: string | null;
  @ApiPropertyOptional({ minimum: 0, maximum: 10000 }) @IsOptional() @IsInt() @Min(0) @Max(10000) position?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ ...CONDITIONS_DOC, description: `Replaces the conditions. ${CONDITIONS_DOC.description}` } as never) @IsOptional() @IsObject() conditions?: Record<string, unknown>;
  @ApiPropertyOptional({ ...ACTIONS_DOC, description: `Replaces every action. ${ACTIONS_DOC.description}` } as never) @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(30) actions?: unknown[];
}

export class ReorderRulesDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'Every live id, each once, in the order wanted' }) @IsArray() @ArrayMaxSize(500) @IsUUID(undefined, { each: true }) ids: string[];
}

export class RuleResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() position: number;
  @ApiProperty() active: boolean;
  @ApiProperty(CONDITIONS_DOC as never) conditions: object;
  @ApiProperty(ACTIONS_DOC as never) actions: object[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}
export class RuleListResponse {
  @ApiProperty({ type: [RuleResponse] }) data: RuleResponse[];
}

class ProposedFieldsDto {
  @ApiPropertyOptional({ enum: STATUSES.filter((s) => s !== 'new') }) @IsOptional() @IsIn(STATUSES.filter((s) => s !== 'new')) status?: (typeof STATUSES)[number];
  @ApiPropertyOptional({ enum: PRIORITIES }) @IsOptional() @IsIn(PRIORITIES) priority?: string;
  @ApiPropertyOptional({ enum: TYPES }) @IsOptional() @IsIn(TYPES) type?: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) @IsOptional() @nullable @IsUUID() groupId?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) @IsOptional() @nullable @IsUUID() assigneeId?: string | null;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(50, { each: true }) tags?: string[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Custom field values by key' }) @IsOptional() @IsObject() fields?: Record<string, unknown>;
}
class ProposedMessageDto {
  @ApiProperty({ maxLength: 20000 }) @IsString() @MinLength(1) @MaxLength(20000) body: string;
  @ApiProperty({ enum: ['public', 'internal'] }) @IsIn(['public', 'internal']) visibility: 'public' | 'internal';
  @ApiPropertyOptional({ enum: ['agent', 'requester'], default: 'agent' }) @IsOptional() @IsIn(['agent', 'requester']) author?: 'agent' | 'requester';
}
class UnsavedRuleDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() id?: string;
  @ApiProperty({ maxLength: 100 }) @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiProperty(CONDITIONS_DOC as never) @IsObject() conditions: Record<string, unknown>;
  @ApiProperty(ACTIONS_DOC as never) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(30) actions: unknown[];
}
export class DryRunDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() ticketId: string;
  @ApiPropertyOptional({ type: ProposedFieldsDto, description: 'The fields the update would change' }) @IsOptional() @ValidateNested() @Type(() => ProposedFieldsDto) changes?: ProposedFieldsDto;
  @ApiPropertyOptional({ type: ProposedMessageDto, description: 'A message the update would add' }) @IsOptional() @ValidateNested() @Type(() => ProposedMessageDto) message?: ProposedMessageDto;
  @ApiPropertyOptional({ type: [UnsavedRuleDto], description: 'Try these (unsaved) triggers, in this order, instead of the saved ones' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => UnsavedRuleDto) rules?: UnsavedRuleDto[];
}

class FiringResponse {
  @ApiProperty({ format: 'uuid' }) triggerId: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'The trigger’s version (0 for an unsaved one)' }) version: number;
  @ApiProperty({ description: 'The pass it fired in (1: on the update itself)' }) pass: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Field → { from, to }' }) delta: object;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) messages: object[];
  @ApiProperty({ type: [String] }) webhooks: string[];
  @ApiProperty({ nullable: true, type: String, description: 'Why its actions could not be carried out (nothing of it kept)' }) error: string | null;
}
class CappedResponse {
  @ApiProperty() passes: number;
  @ApiProperty({ type: [String], format: 'uuid' }) pending: string[];
}
export class DryRunResponse {
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The ticket as it would be afterwards' }) ticket: object;
  @ApiProperty({ type: [FiringResponse] }) firings: FiringResponse[];
  @ApiProperty({ type: CappedResponse, nullable: true }) capped: CappedResponse | null;
}

export class RunAutomationsDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 200, description: 'Tickets examined per automation and acted on in all, in this run' }) @IsOptional() @IsInt() @Min(1) @Max(1000) limit?: number;
}
export class AutomationsRunResponse {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } }, description: 'Automation id → tickets acted on' }) acted: Record<string, string[]>;
  @ApiProperty() examined: number;
  @ApiProperty({ description: 'The cap stopped the run; the next one resumes where it stopped' }) capped: boolean;
}
