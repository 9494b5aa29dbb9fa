import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { PageQueryDto } from '@switchboard/platform';
import { FIELD_LIMITS, FIELD_TYPES, type FieldOption, type FieldType } from '../domain/custom-fields';
import type { FormFieldEntry, TicketFieldView, TicketFormView } from '../repositories/custom-fields.sql';
import type { AssertTrue, NoExtraKeys } from './dto';

const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const nullable = ValidateIf((_, v) => v !== null);

export class FieldOptionDto {
  @ApiProperty({ maxLength: FIELD_LIMITS.optionValue, example: 'gold', description: 'What tickets store; never changes' })
  @IsString() @MinLength(1) @MaxLength(FIELD_LIMITS.optionValue) @Matches(/^[^\u0000-\u001f|]+$/, { message: 'an option value has no control characters and no |' })
  value: string;
  @ApiProperty({ maxLength: 200, example: 'Gold plan' }) @Trim() @IsString() @MinLength(1) @MaxLength(200) label: string;
  @ApiPropertyOptional({ default: true, description: 'An inactive option is refused on new values; tickets that hold it keep it' }) @IsOptional() @IsBoolean() active?: boolean;
}

export class CreateTicketFieldDto {
  @ApiProperty({ example: 'plan', description: 'Stable slug, unique in the tenant (also after deletion): lower-case letters, digits and _, starting with a letter' })
  @IsString() @Matches(/^[a-z][a-z0-9_]{0,49}$/, { message: 'key must be 1 to 50 lower-case letters, digits or _, starting with a letter' })
  key: string;
  @ApiProperty({ maxLength: 200, example: 'Plan' }) @Trim() @IsString() @MinLength(1) @MaxLength(200) label: string;
  @ApiProperty({ enum: FIELD_TYPES }) @IsIn(FIELD_TYPES) type: FieldType;
  @ApiPropertyOptional({ maxLength: 1000, nullable: true, type: String }) @IsOptional() @nullable @IsString() @MaxLength(1000) description?: string | null;
  @ApiPropertyOptional({ type: [FieldOptionDto], description: 'dropdown and multi_select only' })
  @IsOptional() @IsArray() @ArrayMaxSize(FIELD_LIMITS.options) @ValidateNested({ each: true }) @Type(() => FieldOptionDto)
  options?: FieldOptionDto[];
  @ApiPropertyOptional({ maxLength: FIELD_LIMITS.pattern, nullable: true, type: String, example: '[A-Z]{2}-\\d{4}', description: 'regex only: the whole value must match; patterns that could backtrack catastrophically are refused' })
  @IsOptional() @nullable @IsString() @MaxLength(FIELD_LIMITS.pattern) pattern?: string | null;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() requiredAtCreate?: boolean;
  @ApiPropertyOptional({ default: false, description: 'A ticket cannot move to solved without a value' }) @IsOptional() @IsBoolean() requiredAtSolve?: boolean;
}

export class UpdateTicketFieldDto {
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @Trim() @IsString() @MinLength(1) @MaxLength(200) label?: string;
  @ApiPropertyOptional({ maxLength: 1000, nullable: true, type: String }) @IsOptional() @nullable @IsString() @MaxLength(1000) description?: string | null;
  @ApiPropertyOptional({ type: [FieldOptionDto], description: 'The whole list: existing options may be relabelled or deactivated, never dropped' })
  @IsOptional() @IsArray() @ArrayMaxSize(FIELD_LIMITS.options) @ValidateNested({ each: true }) @Type(() => FieldOptionDto)
  options?: FieldOptionDto[];
  @ApiPropertyOptional({ maxLength: FIELD_LIMITS.pattern, nullable: true, type: String }) @IsOptional() @nullable @IsString() @MaxLength(FIELD_LIMITS.pattern) pattern?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requiredAtCreate?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requiredAtSolve?: boolean;
}

export class TicketFieldListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ default: false, description: 'Also list deleted fields (their old values stay on tickets)' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  includeDeleted?: boolean;
}

export class FieldOptionResponse implements FieldOption {
  @ApiProperty() value: string;
  @ApiProperty() label: string;
  @ApiProperty() active: boolean;
}

export class TicketFieldResponse implements TicketFieldView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() key: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: FIELD_TYPES }) type: FieldType;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ type: [FieldOptionResponse] }) options: FieldOptionResponse[];
  @ApiProperty({ nullable: true, type: String }) pattern: string | null;
  @ApiProperty() requiredAtCreate: boolean;
  @ApiProperty() requiredAtSolve: boolean;
  @ApiProperty({ description: 'False once deleted' }) active: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) deletedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class TicketFieldPageResponse {
  @ApiProperty({ type: [TicketFieldResponse] }) data: TicketFieldResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class FormFieldDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() fieldId: string;
  @ApiPropertyOptional({ nullable: true, type: Boolean, description: 'Overrides the field’s requiredAtCreate on this form; null or absent follows the field' })
  @IsOptional() @nullable @IsBoolean() required?: boolean | null;
}

export class CreateTicketFormDto {
  @ApiProperty({ maxLength: 100, example: 'Hardware fault' }) @Trim() @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiProperty({ type: [FormFieldDto], description: 'The fields, in the order the form shows them' })
  @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => FormFieldDto)
  fields: FormFieldDto[];
  @ApiPropertyOptional({ default: false, description: 'New tickets that name no form get this one (one default per tenant)' }) @IsOptional() @IsBoolean() isDefault?: boolean;
}

export class UpdateTicketFormDto {
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @Trim() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional({ type: [FormFieldDto] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => FormFieldDto) fields?: FormFieldDto[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() isDefault?: boolean;
}

export class FormFieldResponse implements FormFieldEntry {
  @ApiProperty({ format: 'uuid' }) fieldId: string;
  @ApiProperty({ nullable: true, type: Boolean }) required: boolean | null;
}

export class TicketFormResponse implements TicketFormView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [FormFieldResponse] }) fields: FormFieldResponse[];
  @ApiProperty() isDefault: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Always null: deleted forms are not served' }) deletedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class TicketFormPageResponse {
  @ApiProperty({ type: [TicketFormResponse] }) data: TicketFormResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

/** Compile-time only: each response has no field its view lacks. */
export type FieldResponsesMatchViews = AssertTrue<
  [NoExtraKeys<TicketFieldResponse, TicketFieldView>, NoExtraKeys<TicketFormResponse, TicketFormView>, NoExtraKeys<FieldOptionResponse, FieldOption>] extends true[] ? true : false
>;
