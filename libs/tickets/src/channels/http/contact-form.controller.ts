import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, Public, RateLimit, RequirePermission, requireIfMatch } from '@switchboard/platform';
import type { Response } from 'express';
import { ContactFormRateLimit } from '../channels.registration';
import { SaveContactFormSettingsCommand } from '../commands/save-contact-form-settings/save-contact-form-settings.command';
import { SubmitContactFormCommand, type ContactFormReceipt } from '../commands/submit-contact-form/submit-contact-form.command';
import { GetContactFormQuery, type PublicContactForm } from '../queries/get-contact-form/get-contact-form.query';
import { GetContactFormSettingsQuery } from '../queries/get-contact-form/get-contact-form-settings.query';
import type { ContactFormSettingsView } from '../repositories/contact-form.repository';
import { ContactFormReceiptResponse, ContactFormSettingsDto, ContactFormSettingsResponse, PublicContactFormResponse, SubmitContactFormDto } from './contact-form.dto';

/** The public contact form (no credential, the tenant by its slug) and its settings (owners and admins). */
@ApiTags('Contact form')
@Controller()
export class ContactFormController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('contact-form/:tenantSlug')
  @Public()
  @RateLimit(ContactFormRateLimit)
  @ApiOperation({ summary: 'The tenant’s public contact form', description: 'Its fields (built-in and the tenant’s), and a signed form token to send back: valid after the minimum fill time, for CHANNELS_FORM_MAX_AGE_SECONDS.' })
  @ApiOkResponse({ type: PublicContactFormResponse })
  @ApiNotFoundResponse({ description: 'No active tenant with this slug, or its form is disabled' })
  form(@Param('tenantSlug') slug: string): Promise<PublicContactForm> {
    return this.queries.execute(new GetContactFormQuery(slug.slice(0, 100)));
  }

  @Post('contact-form/:tenantSlug')
  @Public()
  @RateLimit(ContactFormRateLimit)
  @HttpCode(201)
  @ApiOperation({
    summary: 'Send the contact form',
    description:
      'Creates a ticket from a found-or-created contact and, when the tenant has an email channel, mails a confirmation with the ticket’s number. 422 contact-form-too-fast before the minimum fill time; 400 contact-form-token-invalid for a token of another tenant or an expired one; 429 contact-form-limit past the tenant’s submissions per IP and hour (default 5). A filled honeypot is answered like a success and creates nothing.',
  })
  @ApiCreatedResponse({ type: ContactFormReceiptResponse })
  @ApiTooManyRequestsResponse({ description: 'Too many submissions from this address in the last hour (problem+json)' })
  submit(@Param('tenantSlug') slug: string, @Body() body: SubmitContactFormDto, @Req() req: { id?: string | number; ip?: string }): Promise<ContactFormReceipt> {
    return this.commands.execute(new SubmitContactFormCommand(slug.slice(0, 100), body, req.ip ?? null, req.id !== undefined ? String(req.id) : null));
  }

  @Get('contact-form-settings')
  @RequirePermission('tenant:manage')
  @ApiOperation({ summary: 'The contact form’s settings (extra fields, limits)' })
  @ApiOkResponse({ type: ContactFormSettingsResponse })
  async settings(@Ctx() ctx: CommandContext, @Res({ passthrough: true }) res: Response): Promise<ContactFormSettingsView> {
    const settings = await this.queries.execute(new GetContactFormSettingsQuery(ctx.tenantId));
    res.setHeader('ETag', etagOf(settings.version));
    return settings;
  }

  @Put('contact-form-settings')
  @RequirePermission('tenant:manage')
  @ApiOperation({ summary: 'Replace the contact form’s settings (If-Match required)' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag from your last read' })
  @ApiOkResponse({ type: ContactFormSettingsResponse })
  async save(@Ctx() ctx: CommandContext, @Body() body: ContactFormSettingsDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<ContactFormSettingsView> {
    const settings = await this.commands.execute(
      new SaveContactFormSettingsCommand(ctx, { enabled: body.enabled, fields: body.fields.map((f) => ({ key: f.key, label: f.label, required: f.required, maxLength: f.maxLength })), perIpPerHour: body.perIpPerHour, minFillSeconds: body.minFillSeconds }, requireIfMatch(ifMatch, 'contact form settings')),
    );
    res.setHeader('ETag', etagOf(settings.version));
    return settings;
  }
}
