import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { STATUSES, type Status } from '../domain/ticket';
import type { StatusView } from '../repositories/statuses.sql';

const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const nullable = ValidateIf((_, v) => v !== null);

export class CreateStatusDto {
  @ApiProperty({ enum: STATUSES, description: 'The base category the lifecycle, SLAs and reports see; fixed once created' }) @IsIn(STATUSES) category: Status;
  @ApiProperty({ maxLength: 60, example: 'Waiting on vendor' }) @Trim() @IsString() @MinLength(1) @MaxLength(60) agentLabel: string;
  @ApiPropertyOptional({ maxLength: 60, nullable: true, type: String, example: 'In progress', description: 'What requesters see (the category’s default label when null)' })
  @IsOptional() @nullable @Trim() @IsString() @MinLength(1) @MaxLength(60) endUserLabel?: string | null;
  @ApiPropertyOptional({ maxLength: 500, nullable: true, type: String }) @IsOptional() @nullable @IsString() @MaxLength(500) description?: string | null;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ minimum: 0, maximum: 10000, default: 0 }) @IsOptional() @IsInt() @Min(0) @Max(10000) position?: number;
}

export class UpdateStatusDto {
  @ApiPropertyOptional({ enum: STATUSES, description: 'Must stay the same (a status keeps its category)' }) @IsOptional() @IsIn(STATUSES) category?: Status;
  @ApiPropertyOptional({ maxLength: 60 }) @IsOptional() @Trim() @IsString() @MinLength(1) @MaxLength(60) agentLabel?: string;
  @ApiPropertyOptional({ maxLength: 60, nullable: true, type: String }) @IsOptional() @nullable @Trim() @IsString() @MinLength(1) @MaxLength(60) endUserLabel?: string | null;
  @ApiPropertyOptional({ maxLength: 500, nullable: true, type: String }) @IsOptional() @nullable @IsString() @MaxLength(500) description?: string | null;
  @ApiPropertyOptional({ description: 'false: tickets keep it, new changes cannot choose it' }) @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ minimum: 0, maximum: 10000 }) @IsOptional() @IsInt() @Min(0) @Max(10000) position?: number;
}

export class StatusResponse implements StatusView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: STATUSES }) category: Status;
  @ApiProperty() agentLabel: string;
  @ApiProperty({ nullable: true, type: String }) endUserLabel: string | null;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty() position: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class StatusDefaultResponse {
  @ApiProperty({ enum: STATUSES }) category: Status;
  @ApiProperty({ example: 'Open' }) label: string;
}

export class StatusCatalogResponse {
  @ApiProperty({ type: [StatusResponse] }) data: StatusResponse[];
  @ApiProperty({ type: [StatusDefaultResponse], description: 'What a ticket without a custom status shows, per category' }) defaults: StatusDefaultResponse[];
}
