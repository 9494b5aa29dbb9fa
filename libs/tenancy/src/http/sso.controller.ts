import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiConsumes, ApiFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, RateLimit, type SwitchboardRequest } from '@switchboard/platform';
import type { Response } from 'express';
import type { Session } from '../auth/session-issuer';
import { SsoCompleteOidcCommand } from '../commands/sso-complete-oidc/sso-complete-oidc.command';
import { SsoCompleteSamlCommand } from '../commands/sso-complete-saml/sso-complete-saml.command';
import { SsoExchangeCommand } from '../commands/sso-exchange/sso-exchange.command';
import { SsoStartCommand } from '../commands/sso-start/sso-start.command';
import { SsoDiscoverQuery } from '../queries/sso-discover/sso-discover.query';
import { SsoSamlMetadataQuery } from '../queries/sso-saml-metadata/sso-saml-metadata.query';
import { SsoFailure } from '../sso/sso-failure';
import { SsoUrls } from '../sso/sso-urls';
import { SessionResponse } from './dto';
import { SsoDiscoverDto, SsoDiscoverResponse, SsoExchangeDto } from './sso.dto';

const STATE_COOKIE = 'sb_sso_state';
const COOKIE_PATH = '/v1/auth/sso';

const clientOf = (req: SwitchboardRequest) => {
  const ua = req.headers['user-agent'];
  return { ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null, requestId: req.id !== undefined ? String(req.id) : null };
};

/** The ACS form (application/x-www-form-urlencoded, which the api's body parsers leave alone), at most 512 KiB. */
async function readForm(req: SwitchboardRequest): Promise<URLSearchParams> {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) throw new SsoFailure('assertion-invalid', null, `unexpected content type ${type.slice(0, 100)}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 512 * 1024) throw new SsoFailure('assertion-invalid', null, 'the SAML response is larger than 512 KiB');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function cookie(req: SwitchboardRequest, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return null;
}

/**
 * Browser sign-in through the tenant's identity provider. The browser legs answer with redirects
 * (an error becomes `/console#sso_error=<code>`); tokens never travel in a URL: the console gets a
 * one-minute, single-use code in the fragment and exchanges it here for the usual session.
 */
@ApiTags('Single sign-on')
@Controller('auth/sso')
export class SsoController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly urls: SsoUrls,
  ) {}

  @Post('discover')
  @Public()
  @RateLimit('auth')
  @HttpCode(200)
  @ApiOperation({ summary: 'Which tenant’s single sign-on serves this email’s domain (404 when none: use the password)' })
  @ApiOkResponse({ type: SsoDiscoverResponse })
  async discover(@Body() body: SsoDiscoverDto): Promise<SsoDiscoverResponse> {
    const found = await this.queries.execute(new SsoDiscoverQuery(body.email));
    return { ...found, startUrl: this.urls.startPath(found.tenant.slug) };
  }

  @Get(':slug/start')
  @Public()
  @RateLimit('auth')
  @ApiOperation({ summary: 'Start signing in to a tenant at its identity provider (browser redirect)' })
  @ApiFoundResponse({ description: 'To the identity provider, or to /console#sso_error=<code>' })
  async start(@Param('slug') slug: string, @Req() req: SwitchboardRequest, @Res() res: Response): Promise<void> {
    try {
      const { redirectUrl, state, protocol } = await this.commands.execute(new SsoStartCommand(slug.slice(0, 63), this.urls.origin(req), clientOf(req)));
      // SAML comes back as a cross-site POST, which a SameSite=Lax cookie would not join; SameSite=None requires Secure
      // (browsers accept Secure cookies from http://localhost).
      const sameSite = protocol === 'saml' ? 'none' : 'lax';
      res.cookie(STATE_COOKIE, state, { httpOnly: true, sameSite, secure: sameSite === 'none' || this.urls.secure(req), path: COOKIE_PATH, maxAge: 10 * 60_000 });
      res.redirect(302, redirectUrl);
    } catch (error) {
      this.fail(error, req, res);
    }
  }

  @Get('oidc/callback')
  @Public()
  @RateLimit('auth')
  @ApiOperation({ summary: 'Where the identity provider sends the browser back (register this as the redirect URI)' })
  @ApiFoundResponse({ description: 'To /console#sso=<one-time code>, or to /console#sso_error=<code>' })
  async callback(@Req() req: SwitchboardRequest, @Res() res: Response): Promise<void> {
    res.clearCookie(STATE_COOKIE, { path: COOKIE_PATH });
    try {
      const callbackUrl = `${this.urls.redirectUri(req)}${req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : ''}`;
      const { code } = await this.commands.execute(new SsoCompleteOidcCommand(callbackUrl, cookie(req, STATE_COOKIE), clientOf(req)));
      res.redirect(302, `${this.urls.consoleUrl(req)}#sso=${encodeURIComponent(code)}`);
    } catch (error) {
      this.fail(error, req, res);
    }
  }

  @Post('saml/acs')
  @Public()
  @RateLimit('auth')
  @ApiOperation({ summary: 'SAML assertion consumer service (HTTP-POST binding; register this as the ACS URL)' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiFoundResponse({ description: 'To /console#sso=<one-time code>, or to /console#sso_error=<code>' })
  async acs(@Req() req: SwitchboardRequest, @Res() res: Response): Promise<void> {
    res.clearCookie(STATE_COOKIE, { path: COOKIE_PATH, sameSite: 'none', secure: true });
    try {
      const form = await readForm(req);
      const command = new SsoCompleteSamlCommand(form.get('SAMLResponse'), form.get('RelayState'), cookie(req, STATE_COOKIE), this.urls.origin(req), clientOf(req));
      const { code } = await this.commands.execute(command);
      res.redirect(303, `${this.urls.consoleUrl(req)}#sso=${encodeURIComponent(code)}`);
    } catch (error) {
      this.fail(error, req, res, 303);
    }
  }

  @Get(':slug/saml/metadata')
  @Public()
  @ApiOperation({ summary: 'This service provider’s SAML metadata for a tenant (its URL is also the SP entity id)' })
  @ApiOkResponse({ description: 'SAML 2.0 metadata (application/samlmetadata+xml)' })
  async metadata(@Param('slug') slug: string, @Req() req: SwitchboardRequest, @Res() res: Response): Promise<void> {
    const xml = await this.queries.execute(new SsoSamlMetadataQuery(slug.slice(0, 63), this.urls.origin(req)));
    res.status(200).type('application/samlmetadata+xml').send(xml);
  }

  @Post('exchange')
  @Public()
  @RateLimit('auth')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange the one-time code from /console#sso=<code> for a session' })
  @ApiOkResponse({ type: SessionResponse })
  exchange(@Body() body: SsoExchangeDto, @Req() req: SwitchboardRequest): Promise<Session> {
    return this.commands.execute(new SsoExchangeCommand(body.code, clientOf(req)));
  }

  /** A browser leg has no one to read problem+json: known failures go back to the console by code. */
  private fail(error: unknown, req: SwitchboardRequest, res: Response, status = 302): void {
    if (!(error instanceof SsoFailure)) throw error;
    res.redirect(status, `${this.urls.consoleUrl(req)}#sso_error=${error.code}`);
  }
}
