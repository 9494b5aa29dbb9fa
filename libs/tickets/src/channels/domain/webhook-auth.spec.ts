import { createHmac } from 'node:crypto';
import { sameSecret, validHubSignature } from './webhook-auth';

describe('webhook authentication', () => {
  it('sameSecret: equal strings only, whatever their lengths', () => {
    expect(sameSecret('whsec_abc', 'whsec_abc')).toBe(true);
    expect(sameSecret('whsec_abd', 'whsec_abc')).toBe(false);
    expect(sameSecret('whsec_ab', 'whsec_abc')).toBe(false);
    expect(sameSecret('whsec_abcd', 'whsec_abc')).toBe(false);
    expect(sameSecret(undefined, 'whsec_abc')).toBe(false);
    expect(sameSecret('', 'whsec_abc')).toBe(false);
  });

  it('validHubSignature: sha256=<hex HMAC of the exact bytes> under the app secret', () => {
    const raw = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
    const good = `sha256=${createHmac('sha256', 'appsecret').update(raw).digest('hex')}`;
    expect(validHubSignature(good, raw, 'appsecret')).toBe(true);
    expect(validHubSignature(good.toUpperCase().replace('SHA256=', 'sha256='), raw, 'appsecret')).toBe(true);
    expect(validHubSignature(good, Buffer.from(`${raw.toString()} `), 'appsecret')).toBe(false);
    expect(validHubSignature(good, raw, 'other')).toBe(false);
    expect(validHubSignature(good.replace('sha256=', 'sha1='), raw, 'appsecret')).toBe(false);
    expect(validHubSignature('sha256=abc', raw, 'appsecret')).toBe(false);
    expect(validHubSignature(undefined, raw, 'appsecret')).toBe(false);
  });
});
