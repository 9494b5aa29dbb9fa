import { isIP } from 'node:net';
import { checkAddress, hostNameProblem } from '@switchboard/platform';

const LOOPBACK_NAMES = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

/** Whether the URL's host is a loopback literal (what the test-only setting lets through over http). */
export function isLoopbackHost(url: URL): boolean {
  return LOOPBACK_NAMES.has(url.hostname);
}

/**
 * What is wrong with an endpoint URL, or null. https only, no credentials in it, and a host that is
 * not a private, loopback or link-local literal nor a local name (names are checked again, resolved,
 * at each delivery). With `allowLoopbackHttp` (tests only), http://127.0.0.1 / localhost pass.
 */
export function endpointUrlProblem(value: string, allowLoopbackHttp: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (value.length > 2048) return 'is longer than 2048 characters';
  if (url.username || url.password) return 'may not carry credentials';
  const loopbackAllowed = allowLoopbackHttp && isLoopbackHost(url);
  if (url.protocol !== 'https:' && !(loopbackAllowed && url.protocol === 'http:')) return 'must be an https URL';
  if (loopbackAllowed) return null;
  const hostProblem = hostNameProblem(url.hostname);
  if (hostProblem) return `host ${hostProblem}`;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const verdict = checkAddress(host);
    if (!verdict.allowed) return `is a ${verdict.reason} address, which webhooks may not reach`;
  }
  return null;
}
