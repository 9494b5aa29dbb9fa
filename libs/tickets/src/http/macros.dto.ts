import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '@switchboard/platform';
import { MACRO_PLACEHOLDERS } from '../domain/macro-template';
import { MAX_MACRO_ACTIONS, type MacroAction, type MacroBroken, type PlannedChecklist, type PlannedMessage } from '../domain/macros';
import { PRIORITIES, STATUSES, TYPES } from '../domain/ticket';
import type { MacroView } from '../repositories/macros.sql';
import type { MacroApplied } from '../commands/apply-macro/apply-macro.command';
import type { BulkMacroResult } from '../commands/bulk-apply-macro/bulk-apply-macro.command';
import { MAX_BULK_MACRO_TICKETS } from '../commands/bulk-apply-macro/bulk-apply-macro.command';
import type { MacroPreview } from '../queries/preview-macro/preview-macro.query';
import type { TicketsMerged } from '../commands/merge-tickets/merge-tickets.command';
import type { MergeMoved } from '../repositories/merges.repository';
import type { FieldDelta } from '../tickets.context';
import { ChecklistResponse } from './checklists.dto';
import { MessageResponse, TicketResponse, type AssertTrue, type NoExtraKeys } from './dto';

const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const nullable = ValidateIf((_, v) => v !== null);

const setter = (type: string, value: Record<string, unknown>) => ({ type: 'object', required: ['type', 'value'], additionalProperties: false, properties: { type: { type: 'string', enum: [type] }, value } });
const nullableUuid = { type: 'string', format: 'uuid', nullable: true };
const tags = (type: string) => ({ type: 'object', required: ['type', 'tags'], additionalProperties: false, properties: { type: { type: 'string', enum: [type] }, tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 50 } } });

/** The action union as OpenAPI shows it (the domain's `readMacroActions` enforces it). */
const ACTION_SCHEMA = {
  oneOf: [
    setter('set_status', { type: 'string', enum: STATUSES.filter((s) => s !== 'new') }),
    setter('set_priority', { type: 'string', enum: PRIORITIES }),
    setter('set_type', { type: 'string', enum: TYPES }),
    setter('set_group', nullableUuid),
    setter('set_assignee', nullableUuid),
    tags('add_tags'),
    tags('remove_tags'),
    {
      type: 'object',
      required: ['type', 'visibility', 'body'],
      additionalProperties: false,
      properties: {
        type: { type: 'string', enum: ['add_reply'] },
        visibility: { type: 'string', enum: ['public', 'internal'] },
        body: { type: 'string', maxLength: 20000, description: `Text with placeholders: ${MACRO_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}` },
      },
    },
    { type: 'object', required: ['type', 'templateId'], additionalProperties: false, properties: { type: { type: 'string', enum: ['add_checklist'] }, templateId: { type: 'string', format: 'uuid' } } },
    {
      type: 'object',
      required: ['type', 'key', 'value'],
      additionalProperties: false,
      description: 'Sets a custom field (GET /v1/ticket-fields) by key; null clears it. The value is checked against the field when the macro is saved and when it runs.',
      properties: { type: { type: 'string', enum: ['set_custom_field'] }, key: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,49}$' }, value: { nullable: true, description: 'A value the field takes' } },
    },
  ],
};

const ACTIONS_DOC = {
  type: 'array',
  minItems: 1,
  maxItems: MAX_MACRO_ACTIONS,
  items: ACTION_SCHEMA,
  description: 'Applied in order. Unknown placeholders are refused (422 naming them); groups, checklist templates and assignees must exist (422 naming the action).',
  example: [
    { type: 'set_status', value: 'pending' },
    { type: 'add_tags', tags: ['waiting_on_customer'] },
    { type: 'add_reply', visibility: 'public', body: 'Hi {{ticket.requester.name}},\n\nCould you send us a photo of the boiler’s display?\n\n{{agent.name}}' },
  ],
};

export class CreateMacroDto {
  @ApiProperty({ maxLength: 100, example: 'Ask for a photo' }) @Trim() @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String }) @IsOptional() @nullable @IsString() @MaxLength(2000) description?: string | null;
  @ApiPropertyOptional({ default: true, description: 'Switched-off macros are listed but cannot be applied' }) @IsOptional() @IsBoolean() active?: boolean;
  @ApiProperty(ACTIONS_DOC as never) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_MACRO_ACTIONS) actions: unknown[];
}

export class UpdateMacroDto {
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @Trim() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String }) @IsOptional() @nullable @IsString() @MaxLength(2000) description?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ ...ACTIONS_DOC, description: 'Replaces every action (send the whole list).' } as never) @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_MACRO_ACTIONS) actions?: unknown[];
}

export class MacroListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only macros switched on (true) or off (false)' })
  @IsOptional() @IsIn(['true', 'false']) active?: 'true' | 'false';
}

export class BulkApplyMacroDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_BULK_MACRO_TICKETS })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_BULK_MACRO_TICKETS) @IsUUID('all', { each: true }) ticketIds: string[];
}

export class MergeTicketDto {
  @ApiProperty({ format: 'uuid', description: 'The ticket that carries on the conversation' }) @IsUUID() targetId: string;
}

export class MacroBrokenResponse implements MacroBroken {
  @ApiProperty() actionIndex: number;
  @ApiProperty() actionType: MacroAction['type'];
  @ApiProperty() reason: string;
}

export class MacroResponse implements MacroView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty(ACTIONS_DOC as never) actions: MacroAction[];
  @ApiProperty({ description: 'How many times it was applied' }) usageCount: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastUsedAt: string | null;
  @ApiProperty({ type: MacroBrokenResponse, nullable: true, description: 'Set when a group or checklist template an action names is gone; editing the macro fixes it' }) broken: MacroBroken | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ description: 'Counts up on every change; the history and audit of each apply name it' }) version: number;
}

export class MacroPageResponse {
  @ApiProperty({ type: [MacroResponse] }) data: MacroResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class PlannedMessageResponse implements PlannedMessage {
  @ApiProperty({ enum: ['public', 'internal'] }) visibility: 'public' | 'internal';
  @ApiProperty({ description: 'Plain text, placeholders filled in' }) body: string;
  @ApiProperty({ description: 'HTML, every value escaped' }) html: string;
}

export class PlannedChecklistResponse implements PlannedChecklist {
  @ApiProperty({ format: 'uuid' }) templateId: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: [String] }) items: string[];
}

export class MacroRefResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() version: number;
}

export class MacroPreviewResponse implements MacroPreview {
  @ApiProperty({ type: TicketResponse, description: 'The ticket as apply would leave it; its version is the current one (send it as If-Match to apply)' }) ticket: TicketResponse;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Each field apply would change: { from, to }' }) delta: FieldDelta;
  @ApiProperty({ type: [PlannedMessageResponse] }) messages: PlannedMessageResponse[];
  @ApiProperty({ type: [PlannedChecklistResponse] }) checklists: PlannedChecklistResponse[];
  @ApiProperty({ type: MacroRefResponse }) macro: MacroRefResponse;
}

export class MacroUseResponse extends MacroRefResponse {
  @ApiProperty() usageCount: number;
}

export class MacroAppliedResponse implements MacroApplied {
  @ApiProperty({ type: TicketResponse }) ticket: TicketResponse;
  @ApiProperty({ type: [MessageResponse] }) messages: MessageResponse[];
  @ApiProperty({ type: [ChecklistResponse] }) checklists: ChecklistResponse[];
  @ApiProperty({ type: MacroUseResponse }) macro: MacroUseResponse;
}

export class BulkMacroProblemResponse {
  @ApiProperty() type: string;
  @ApiProperty() title: string;
  @ApiProperty() detail: string;
}

export class BulkMacroResultResponse implements BulkMacroResult {
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty({ description: '200 when applied, otherwise the status a single apply would have answered' }) status: number;
  @ApiProperty({ type: TicketResponse, nullable: true }) ticket: TicketResponse | null;
  @ApiProperty({ type: BulkMacroProblemResponse, nullable: true }) problem: BulkMacroProblemResponse | null;
}

export class BulkMacroResponse {
  @ApiProperty({ type: [BulkMacroResultResponse], description: 'One result per ticket id, in the order sent' }) data: BulkMacroResultResponse[];
}

export class MergeMovedResponse implements MergeMoved {
  @ApiProperty() messages: number;
  @ApiProperty() attachments: number;
  @ApiProperty() participants: number;
  @ApiProperty() history: number;
}

export class MergeResponse implements TicketsMerged {
  @ApiProperty({ type: TicketResponse, description: 'Closed, with mergedIntoId' }) source: TicketResponse;
  @ApiProperty({ type: TicketResponse, description: 'With the source in mergedFrom' }) target: TicketResponse;
  @ApiProperty({ type: MergeMovedResponse }) moved: MergeMovedResponse;
}

export type MacroResponsesMatchViews = AssertTrue<NoExtraKeys<MacroResponse, MacroView>>;
