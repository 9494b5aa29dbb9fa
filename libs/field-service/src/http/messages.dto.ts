import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { MESSAGE_KINDS, MESSAGE_STATUSES, type MessageKind, type MessageSettings, type MessageStatus } from '../domain/messages';
import type { MessageView } from '../repositories/messages.sql';

export class MessageSettingsResponse implements MessageSettings {
  @ApiProperty({ example: 1440, minimum: 0, maximum: 20160, description: 'Minutes before a visit its reminder goes out (default 1440, a day); 0: no reminders' })
  visitReminderMinutes: number;
  @ApiProperty({ example: true, description: 'Whether booking, moving or cancelling a visit emails the customer a notice with a calendar invite' })
  visitConfirmations: boolean;
  @ApiProperty({ example: 9, minimum: 0, maximum: 23, description: 'The hour, in the customer’s time zone (else the tenant’s), at which a service reminder goes out on its day' })
  serviceReminderHour: number;
}

export class UpdateMessageSettingsDto implements Partial<MessageSettings> {
  @ApiPropertyOptional({ example: 120, minimum: 0, maximum: 20160 }) @IsOptional() @IsInt() @Min(0) @Max(20160) visitReminderMinutes?: number;
  @ApiPropertyOptional({ example: true }) @IsOptional() @IsBoolean() visitConfirmations?: boolean;
  @ApiPropertyOptional({ example: 9, minimum: 0, maximum: 23 }) @IsOptional() @IsInt() @Min(0) @Max(23) serviceReminderHour?: number;
}

export class MessageResponse implements MessageView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) visitId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'A service reminder’s reach-out follow-up; done once the reminder is sent' }) followUpId: string | null;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ enum: MESSAGE_KINDS, example: 'visit_reminder' }) kind: MessageKind;
  @ApiProperty({ enum: ['email'] }) channel: 'email';
  @ApiProperty({ enum: MESSAGE_STATUSES, example: 'pending', description: 'pending → sending → sent; or cancelled (by a user, or because the visit moved or was called off), or failed (see error)' })
  status: MessageStatus;
  @ApiProperty({ format: 'date-time', description: 'When it goes (or went) out' }) sendAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'The visit times it speaks of' }) visitStart: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) visitEnd: string | null;
  @ApiProperty({ example: 1 }) attempts: number;
  @ApiProperty({ nullable: true, type: String, example: 'gina@example.com', description: 'Where it went, once sent' }) recipient: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'de-DE', description: 'The locale it was written in, once sent' }) locale: string | null;
  @ApiProperty({ nullable: true, type: String }) subject: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'The contact has no email address; nothing was sent.' }) error: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) sentAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) cancelledAt: string | null;
}

export class MessageListResponse {
  @ApiProperty({ type: [MessageResponse] }) data: MessageResponse[];
}
