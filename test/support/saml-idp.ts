import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';

const iso = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();
const escape = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface AssertionOptions {
  email: string;
  audience: string;
  recipient: string;
  inResponseTo: string;
  id?: string;
  issuer?: string;
  /** Seconds from now the assertion stops being valid (negative: expired). */
  validForSeconds?: number;
}

/**
 * A SAML identity provider fixture: an RSA key (its public half is what the tenant configures),
 * the AuthnRequest decoder, and builders for assertions and responses. Signing uses xml-crypto
 * (RSA-SHA256, exclusive C14N, enveloped), as IdPs sign assertions.
 */
export function samlIdp(entityId = 'https://idp.example.test/saml') {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const strangerPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  return {
    entityId,
    entryPoint: 'https://idp.example.test/sso',
    publicPem,
    strangerPem,

    /** What the SP asked for, from the redirect it sent the browser to. */
    readRequest(redirectUrl: string): { id: string; acsUrl: string; spEntityId: string; relayState: string } {
      const url = new URL(redirectUrl);
      const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
      const attr = (name: string) => new RegExp(`${name}="([^"]+)"`).exec(xml)?.[1] ?? '';
      return { id: attr('ID'), acsUrl: attr('AssertionConsumerServiceURL'), spEntityId: /<saml:Issuer[^>]*>([^<]+)<\/saml:Issuer>/.exec(xml)?.[1] ?? '', relayState: url.searchParams.get('RelayState') ?? '' };
    },

    assertion(o: AssertionOptions): { id: string; xml: string } {
      const id = o.id ?? `_a${randomBytes(16).toString('hex')}`;
      const until = iso((o.validForSeconds ?? 300) * 1000);
      const xml =
        `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${iso(o.validForSeconds !== undefined && o.validForSeconds < 0 ? -3_600_000 : 0)}">` +
        `<saml:Issuer>${escape(o.issuer ?? entityId)}</saml:Issuer>` +
        `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${escape(o.email)}</saml:NameID>` +
        `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="${escape(o.inResponseTo)}" NotOnOrAfter="${until}" Recipient="${escape(o.recipient)}"/></saml:SubjectConfirmation></saml:Subject>` +
        `<saml:Conditions NotBefore="${iso(-60_000 - (o.validForSeconds !== undefined && o.validForSeconds < 0 ? 3_600_000 : 0))}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${escape(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
        `<saml:AuthnStatement AuthnInstant="${iso()}" SessionIndex="_s${id}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
        `<saml:AttributeStatement><saml:Attribute Name="email"><saml:AttributeValue>${escape(o.email)}</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>` +
        `</saml:Assertion>`;
      return { id, xml };
    },

    /** The assertion with an enveloped signature after its Issuer (by the IdP's key, or another). */
    sign(assertionXml: string, pem = privatePem): string {
      const sig = new SignedXml({
        privateKey: pem,
        canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
        signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      });
      sig.addReference({
        xpath: "/*[local-name(.)='Assertion']",
        transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
        digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      });
      sig.computeSignature(assertionXml, { location: { reference: "/*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
      return sig.getSignedXml();
    },

    /** A Response around the given assertion XML (and anything else to put inside), base64 as the HTTP-POST binding sends it. */
    response(inner: string, o: { inResponseTo: string; destination: string; extensions?: string }): string {
      const xml =
        `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${randomBytes(16).toString('hex')}" Version="2.0" IssueInstant="${iso()}" Destination="${escape(o.destination)}" InResponseTo="${escape(o.inResponseTo)}">` +
        `<saml:Issuer>${escape(entityId)}</saml:Issuer>` +
        (o.extensions ? `<samlp:Extensions>${o.extensions}</samlp:Extensions>` : '') +
        `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
        inner +
        `</samlp:Response>`;
      return Buffer.from(xml, 'utf8').toString('base64');
    },
  };
}
