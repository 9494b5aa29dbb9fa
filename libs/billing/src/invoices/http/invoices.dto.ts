import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { IsCurrencyCode, PageQueryDto } from '@switchboard/platform';
import { INVOICE_KINDS, INVOICE_STATUSES, PAYMENT_METHODS, type InvoiceKind, type InvoiceStatus, type PaymentMethod } from '../domain/invoice';
import { MAX_LINES, MAX_QUANTITY, MAX_TAX_RATE_BP, MAX_UNIT_PRICE } from '../domain/money';

const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class InvoiceLineDto {
  @ApiProperty({ maxLength: 500, example: 'Labour' }) @Trim() @IsString() @MinLength(1) @MaxLength(500) description: string;
  @ApiProperty({
    oneOf: [{ type: 'string', pattern: '^\\d{1,7}(\\.\\d{1,6})?$' }, { type: 'number' }],
    example: '0.333333',
    description: `Greater than 0, at most ${MAX_QUANTITY}, up to six decimals; a string keeps every decimal exactly`,
  })
  @IsDefined()
  quantity: string | number;
  @ApiProperty({ minimum: 0, maximum: MAX_UNIT_PRICE, description: 'Minor units (cents)', example: 9000 }) @IsInt() @Min(0) @Max(MAX_UNIT_PRICE) unitPrice: number;
  @ApiProperty({ minimum: 0, maximum: MAX_TAX_RATE_BP, description: 'Basis points: 20 % = 2000', example: 2000 }) @IsInt() @Min(0) @Max(MAX_TAX_RATE_BP) taxRateBp: number;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The catalog service the line is for, if any' }) @IsOptional() @IsUUID() serviceId?: string | null;
}

export class CreateInvoiceDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() contactId: string;
  @ApiProperty({ example: 'EUR' }) @IsString() @IsCurrencyCode() currency: string;
  @ApiProperty({ type: [InvoiceLineDto], maxItems: MAX_LINES }) @IsArray() @ArrayMaxSize(MAX_LINES) @ValidateNested({ each: true }) @Type(() => InvoiceLineDto) lines: InvoiceLineDto[];
  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(2000) memo?: string | null;
  @ApiPropertyOptional({ minimum: 0, maximum: 365, description: 'Days from finalising to the due date; defaults to the tenant’s setting' }) @IsOptional() @IsInt() @Min(0) @Max(365) dueDays?: number;
}

export class UpdateDraftDto {
  @ApiProperty({ type: [InvoiceLineDto], maxItems: MAX_LINES, description: 'The draft’s lines, replaced as a whole' }) @IsArray() @ArrayMaxSize(MAX_LINES) @ValidateNested({ each: true }) @Type(() => InvoiceLineDto) lines: InvoiceLineDto[];
  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(2000) memo?: string | null;
  @ApiPropertyOptional({ minimum: 0, maximum: 365 }) @IsOptional() @IsInt() @Min(0) @Max(365) dueDays?: number;
  @ApiProperty({ description: 'The version read; a draft changed since: 409 version-conflict' }) @IsInt() @Min(1) version: number;
}

export class SendInvoiceDto {
  @ApiPropertyOptional({ format: 'email', description: 'Defaults to the contact’s first email' }) @IsOptional() @IsString() @MaxLength(320) to?: string;
}

export class MarkPaidDto {
  @ApiProperty({ enum: PAYMENT_METHODS }) @IsIn(PAYMENT_METHODS) method: PaymentMethod;
  @ApiPropertyOptional({ maxLength: 200, nullable: true, type: String, description: 'A bank reference, a receipt number' }) @IsOptional() @Trim() @IsString() @MaxLength(200) reference?: string | null;
}

export class VoidInvoiceDto {
  @ApiPropertyOptional({ maxLength: 500, nullable: true, type: String }) @IsOptional() @Trim() @IsString() @MaxLength(500) reason?: string | null;
}

export class CreateCreditNoteDto {
  @ApiProperty({ maxLength: 2000, example: 'Pump was under warranty' }) @Trim() @IsString() @MinLength(1) @MaxLength(2000) reason: string;
  @ApiPropertyOptional({ type: [InvoiceLineDto], maxItems: MAX_LINES, description: 'What is credited, as positive lines; absent: the whole invoice' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineDto)
  lines?: InvoiceLineDto[];
}

export class InvoiceListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: INVOICE_STATUSES }) @IsOptional() @IsIn(INVOICE_STATUSES) status?: InvoiceStatus;
  @ApiPropertyOptional({ enum: INVOICE_KINDS }) @IsOptional() @IsIn(INVOICE_KINDS) kind?: InvoiceKind;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() contactId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() jobId?: string;
}

export class InvoiceSettingsDto {
  @ApiProperty({ nullable: true, type: String, example: 'acct_1Nv0FGQ9RKHgCVdK', description: 'The tenant’s Stripe connected account; payment links are created on it. null: invoices go out without a payment link' })
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Matches(/^acct_[A-Za-z0-9]{1,250}$/)
  stripeAccountId: string | null;
  @ApiProperty({ nullable: true, type: String, maxLength: 1000, description: 'Printed under the tenant’s name' }) @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(1000) address: string | null;
  @ApiProperty({ nullable: true, type: String, maxLength: 100 }) @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(100) taxId: string | null;
  @ApiProperty({ nullable: true, type: String, maxLength: 1000, description: 'Bank details, terms' }) @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(1000) footer: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'PNG or JPEG, base64, at most 256 KiB; null removes it; absent keeps it' }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(360_000) logo?: string | null;
  @ApiProperty({ minimum: 0, maximum: 365, description: 'Payment terms of new invoices, in days' }) @IsInt() @Min(0) @Max(365) dueDays: number;
}

export class InvoiceLineResponse {
  @ApiProperty() position: number;
  @ApiProperty() description: string;
  @ApiProperty({ example: '0.333333', description: 'Decimal string' }) quantity: string;
  @ApiProperty({ description: 'Minor units' }) unitPrice: number;
  @ApiProperty() taxRateBp: number;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) serviceId: string | null;
  @ApiProperty({ description: 'quantity × unitPrice, rounded half-up to the minor unit (negative on a credit note)' }) subtotal: number;
  @ApiProperty({ description: 'subtotal × rate, rounded half-up' }) tax: number;
  @ApiProperty() total: number;
}

export class InvoiceResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: INVOICE_KINDS }) kind: InvoiceKind;
  @ApiProperty({ enum: INVOICE_STATUSES }) status: InvoiceStatus;
  @ApiProperty({ nullable: true, type: String, example: 'INV-2026-000001', description: 'Given when finalised; per tenant, series and year, without gaps' }) number: string | null;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) jobId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'On a credit note: the invoice it credits' }) creditedInvoiceId: string | null;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ description: 'Sum of the lines’ subtotals (minor units)' }) subtotal: number;
  @ApiProperty({ description: 'Sum of the lines’ taxes' }) tax: number;
  @ApiProperty({ description: 'subtotal + tax' }) total: number;
  @ApiProperty({ description: 'Credit notes finalised against this invoice (≤ 0)' }) credited: number;
  @ApiProperty({ description: 'Still owed: total + credited while open or sent, else 0' }) amountDue: number;
  @ApiProperty({ nullable: true, type: String }) memo: string | null;
  @ApiProperty() dueDays: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) issuedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) dueAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) sentAt: string | null;
  @ApiProperty({ nullable: true, type: String }) sentTo: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) paidAt: string | null;
  @ApiProperty({ nullable: true, enum: PAYMENT_METHODS }) paymentMethod: PaymentMethod | null;
  @ApiProperty({ nullable: true, type: String }) paymentReference: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) voidedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) voidReason: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The Stripe payment link sent to the customer' }) paymentUrl: string | null;
  @ApiProperty({ nullable: true, type: String }) stripePaymentLinkId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
  @ApiProperty({ type: [InvoiceLineResponse] }) lines: InvoiceLineResponse[];
}

export class InvoicePageResponse {
  @ApiProperty({ type: [InvoiceResponse] }) data: InvoiceResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class InvoiceSettingsResponse {
  @ApiProperty({ nullable: true, type: String }) stripeAccountId: string | null;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty({ nullable: true, type: String }) taxId: string | null;
  @ApiProperty({ nullable: true, type: String }) footer: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The logo’s type and size; the image itself is on the PDF' }) logo: string | null;
  @ApiProperty() dueDays: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) updatedAt: string | null;
  @ApiProperty() version: number;
}
