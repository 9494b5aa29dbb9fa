import { isIP } from 'node:net';
import { checkAddress, hostNameProblem } from '@switchboard/platform';

/**
 * Provider base URLs are tenant input that the api will call: http(s) only, no credentials in
 * the URL, and (unless AI_ALLOW_PRIVATE_BASE_URLS) no local names or refused address literals,
 * so a tenant hears at once that the gateway will not aim at the host's internal services. This
 * is the early answer only: names are resolved, and their addresses checked, by the outbound
 * client on every call (ADR 0021).
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
  const hostProblem = hostNameProblem(url.hostname);
  if (hostProblem) return `host ${hostProblem}`;
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local')) return 'must not point at a local or internal host';
  if (isIP(host)) {
    const verdict = checkAddress(host);
    if (!verdict.allowed) return `must not point at a ${verdict.reason} address`;
  }
  return null;
}
