import { Injectable } from '@nestjs/common';
import { onFirstUse } from '@switchboard/platform';
import type * as NodeSaml from '@node-saml/node-saml';
import type { Profile, SAML } from '@node-saml/node-saml';
import type { SsoConnection } from './sso.sql';
import { SsoUrls } from './sso-urls';

export interface VerifiedAssertion {
  profile: Profile;
  /** The signed assertion's ID (replay protection). */
  id: string;
  /** The signed assertion's own Issuer (node-saml checks only the response envelope's). */
  issuer: string | null;
  /** From the signed assertion's SubjectConfirmationData. */
  recipient: string | null;
  inResponseTo: string | null;
  /** When the assertion stops being valid (for how long its id must be remembered). */
  notOnOrAfter: Date;
}

type XmlNode = { $?: Record<string, string>; [child: string]: unknown };
const first = (node: unknown, name: string): XmlNode | undefined => {
  const list = (node as Record<string, unknown> | undefined)?.[name];
  return Array.isArray(list) ? (list[0] as XmlNode) : undefined;
};


/** Loaded with the first SAML sign-in, not at boot. */
const nodeSaml = onFirstUse<typeof NodeSaml>('@node-saml/node-saml');
/**
 * `@node-saml/node-saml` configured for one tenant's IdP: signed assertions required (the response
 * envelope may be unsigned, as most IdPs send it), the IdP's entity id as issuer, this tenant's SP
 * entity id as the audience. node-saml does not check the Recipient or tie the assertion to our
 * AuthnRequest when InResponseTo validation is off (its cache is per process); the caller does both
 * from the signed assertion (`VerifiedAssertion`).
 */
@Injectable()
export class SamlClients {
  client(connection: SsoConnection, origin: string, requestId?: string): SAML {
    const { SAML: Saml, ValidateInResponseTo } = nodeSaml();
    return new Saml({
      entryPoint: connection.samlEntryPoint ?? undefined,
      idpCert: connection.samlIdpCert ?? '',
      idpIssuer: connection.issuer,
      issuer: SsoUrls.spEntityIdFor(origin, connection.tenant.slug),
      audience: SsoUrls.spEntityIdFor(origin, connection.tenant.slug),
      callbackUrl: SsoUrls.acsUrlFor(origin),
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      validateInResponseTo: ValidateInResponseTo.never,
      acceptedClockSkewMs: 60_000,
      maxAssertionAgeMs: 10 * 60_000,
      identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      signatureAlgorithm: 'sha256',
      ...(requestId ? { generateUniqueId: () => requestId } : {}),
    });
  }

  async verify(connection: SsoConnection, origin: string, samlResponse: string): Promise<VerifiedAssertion> {
    const { profile } = await this.client(connection, origin).validatePostResponseAsync({ SAMLResponse: samlResponse });
    if (!profile || typeof profile.getAssertion !== 'function') throw new Error('The SAML response carries no assertion');
    const assertion = (profile.getAssertion() as { Assertion?: XmlNode }).Assertion;
    const id = assertion?.$?.['ID'];
    if (!assertion || !id) throw new Error('The assertion has no ID');
    const data = first(first(first(assertion, 'Subject'), 'SubjectConfirmation'), 'SubjectConfirmationData')?.$ ?? {};
    const notOnOrAfter = first(assertion, 'Conditions')?.$?.['NotOnOrAfter'] ?? data['NotOnOrAfter'];
    const issuer = (assertion['Issuer'] as unknown[] | undefined)?.[0];
    return {
      profile,
      id,
      issuer: typeof issuer === 'string' ? issuer.trim() : typeof (issuer as XmlNode | undefined)?.['_'] === 'string' ? String((issuer as XmlNode)['_']).trim() : null,
      recipient: data['Recipient'] ?? null,
      inResponseTo: data['InResponseTo'] ?? null,
      notOnOrAfter: notOnOrAfter && !Number.isNaN(Date.parse(notOnOrAfter)) ? new Date(notOnOrAfter) : new Date(Date.now() + 10 * 60_000),
    };
  }
}
