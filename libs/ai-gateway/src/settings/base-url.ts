import { isIP } from 'node:net';

/**
 * Provider base URLs are tenant input that the api will call: http(s) only, no credentials in
 * the URL, and (unless AI_ALLOW_PRIVATE_BASE_URLS) no loopback, link-local or private literal
 * addresses, so a tenant cannot aim the gateway at the host's internal services. Host names are
 * not resolved here; operators who need DNS-level protection put an egress proxy in front.
 */
export function baseUrlProblem(value: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL such as https://api.openai.com/v1';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use http or https';
  if (url.username || url.password) return 'must not contain credentials; send the key as apiKey';
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local')) return 'must not point at a local or internal host';
  if (isIP(host) && isPrivateAddress(host)) return 'must not point at a loopback, link-local or private address';
  return null;
}

function isPrivateAddress(ip: string): boolean {
  if (ip.includes(':')) return ip === '::1' || ip === '::' || /^f[cd]/.test(ip) || /^fe[89ab]/.test(ip) || ip.startsWith('::ffff:');
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
}
