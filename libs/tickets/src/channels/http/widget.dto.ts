import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { VISITOR_MESSAGE_MAX } from '../domain/widget';

export class StartVisitorSessionDto {
  @ApiPropertyOptional({ maxLength: 200, example: 'Robin' }) @IsOptional() @IsString() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ maxLength: 254, example: 'robin@customer.example', description: 'Given: the conversation’s contact is found or created by it' }) @IsOptional() @IsEmail() @MaxLength(254) email?: string;
}

export class VisitorMessageDto {
  @ApiProperty({ minLength: 1, maxLength: VISITOR_MESSAGE_MAX }) @IsString() @MinLength(1) @MaxLength(VISITOR_MESSAGE_MAX) body: string;
}

export class PublicWidgetConfigResponse {
  @ApiProperty({ description: 'The channel’s name (shown as the chat’s title)' }) name: string;
  @ApiProperty() greeting: string;
  @ApiProperty({ example: '#1f6feb' }) color: string;
  @ApiProperty({ enum: ['none', 'optional', 'required'] }) collectContact: 'none' | 'optional' | 'required';
  @ApiProperty() maxMessageLength: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'ui.widget.title, ui.widget.placeholder, ui.widget.send, ui.contact_form.name, ui.contact_form.email in the visitor’s language' })
  strings: Record<string, string>;
}

export class VisitorSessionResponse {
  @ApiProperty({ format: 'uuid' }) sessionId: string;
  @ApiProperty({ description: 'wvt_…: send as Authorization: Bearer, and as the socket’s auth.token on /visitor. Shown once' }) token: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

export class VisitorMessageResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['visitor', 'agent'] }) author: 'visitor' | 'agent';
  @ApiProperty() body: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class VisitorConversationResponse {
  @ApiProperty({ type: [VisitorMessageResponse] }) data: VisitorMessageResponse[];
}
