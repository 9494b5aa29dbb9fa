import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A browser's cookies, per origin: enough to walk redirects between the api and an IdP by hand. */
export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  /** Sends the cookies this origin set, keeps the ones it sets now; never follows a redirect. */
  async get(url: string): Promise<{ status: number; location: string | null; text: string }> {
    const origin = new URL(url).origin;
    const cookies = this.jar.get(origin) ?? new Map<string, string>();
    const res = await fetch(url, { redirect: 'manual', headers: cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {} });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || attrs.some((a) => /^\s*max-age=0\b/i.test(a));
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    this.jar.set(origin, cookies);
    const location = res.headers.get('location');
    return { status: res.status, location: location ? new URL(location, url).href : null, text: await res.text() };
  }

  /** A form POST (as an IdP's auto-submitting page makes the browser send), with this origin's cookies. */
  async postForm(url: string, form: Record<string, string>): Promise<{ status: number; location: string | null; text: string }> {
    const origin = new URL(url).origin;
    const cookies = this.jar.get(origin) ?? new Map<string, string>();
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}) },
      body: new URLSearchParams(form).toString(),
    });
    const location = res.headers.get('location');
    return { status: res.status, location: location ? new URL(location, url).href : null, text: await res.text() };
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(origin)?.get(name);
  }

  setCookie(origin: string, name: string, value: string): void {
    const cookies = this.jar.get(origin) ?? new Map<string, string>();
    cookies.set(name, value);
    this.jar.set(origin, cookies);
  }

  dropCookies(origin: string): void {
    this.jar.delete(origin);
  }

  /** Follows redirects until one leaves for `stopAt` (an origin + path prefix) or the chain ends. */
  async follow(url: string, stopAt: string, max = 12): Promise<string> {
    let next = url;
    for (let i = 0; i < max; i++) {
      if (next.startsWith(stopAt)) return next;
      const res = await this.get(next);
      if (!res.location) throw new Error(`${next} answered ${res.status} without a redirect: ${res.text.slice(0, 500)}`);
      next = res.location;
    }
    throw new Error(`Too many redirects from ${url}`);
  }
}

export interface IdpAccount {
  email: string;
  emailVerified: boolean;
}

/**
 * A real OpenID Connect provider (`oidc-provider`) on loopback. Logging in is the test's choice:
 * `nextLogin` names the account the interaction signs in, and consent is granted for every scope.
 */
export async function startOidcProvider(client: { clientId: string; clientSecret: string; redirectUri: string }) {
  const { default: Provider } = await import('oidc-provider');
  const accounts = new Map<string, IdpAccount>();
  let nextLogin = '';
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [client.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, id: string) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, email: account.email, email_verified: account.emailVerified }) };
    },
    loadExistingGrant: async (ctx: any) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  } as any);
  const callback = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      provider.interactionFinished(req, res, { login: { accountId: nextLogin } }, { mergeWithLastSubmission: false }).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
      return;
    }
    callback(req, res);
  });
  return {
    issuer,
    addAccount(id: string, account: IdpAccount) {
      accounts.set(id, account);
    },
    loginAs(id: string) {
      nextLogin = id;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type ForgeryMode = 'ok' | 'wrong-audience' | 'expired' | 'unsigned' | 'other-key' | 'wrong-nonce' | 'wrong-issuer';

/**
 * A hostile (or broken) identity provider: a minimal OpenID Connect server that answers every
 * authorization at once and then hands out an ID token forged in one way chosen by the test. The
 * 'ok' mode is the control: the same server with an honest token signs in.
 */
export async function startForgingIdp(clientId: string) {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...key.publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' };
  const codes = new Map<string, { nonce: string }>();
  let mode: ForgeryMode = 'ok';
  let email = { email: '', verified: true };
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const jwt = (claims: Record<string, unknown>, signer: KeyObject | null) => {
    const header = signer ? { alg: 'RS256', typ: 'JWT', kid: 'k1' } : { alg: 'none', typ: 'JWT' };
    const input = `${b64(header)}.${b64(claims)}`;
    return `${input}.${signer ? sign('sha256', Buffer.from(input), signer).toString('base64url') : ''}`;
  };
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/jwks') return json({ keys: [jwk] });
    if (url.pathname === '/authorize') {
      const code = randomBytes(16).toString('hex');
      codes.set(code, { nonce: url.searchParams.get('nonce') ?? '' });
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.href });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const code = new URLSearchParams(body).get('code') ?? '';
        const grant = codes.get(code);
        codes.delete(code);
        if (!grant) {
          res.writeHead(400, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ error: 'invalid_grant' }));
        }
        const now = Math.floor(Date.now() / 1000);
        const claims: Record<string, unknown> = {
          iss: mode === 'wrong-issuer' ? 'https://someone-else.example' : issuer,
          sub: 'forged-sub',
          aud: mode === 'wrong-audience' ? 'another-client' : clientId,
          iat: mode === 'expired' ? now - 7200 : now,
          exp: mode === 'expired' ? now - 3600 : now + 300,
          nonce: mode === 'wrong-nonce' ? 'not-the-nonce' : grant.nonce,
          email: email.email,
          email_verified: email.verified,
        };
        const signer = mode === 'unsigned' ? null : mode === 'other-key' ? otherKey.privateKey : key.privateKey;
        json({ access_token: randomBytes(16).toString('hex'), token_type: 'Bearer', expires_in: 300, id_token: jwt(claims, signer) });
      });
      return;
    }
    res.writeHead(404);
    res.end();
  });
  return {
    issuer,
    forge(next: ForgeryMode, who: { email: string; verified?: boolean }) {
      mode = next;
      email = { email: who.email, verified: who.verified ?? true };
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
