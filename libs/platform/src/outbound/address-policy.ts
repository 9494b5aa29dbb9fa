import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which addresses an outbound request may connect to. Pure: the same answer for the same text,
 * so it can be tested form by form. Every special-purpose range is refused, and so is every
 * IPv6 form that carries an IPv4 address (mapped, compatible, NAT64, 6to4) whose IPv4 address
 * would be refused, because the host's stack or a translator on the path turns those into a
 * connection to the embedded address.
 */

interface Range4 {
  base: number;
  bits: number;
  why: string;
}

const v4 = (cidr: string, why: string): Range4 => {
  const [address, bits] = cidr.split('/') as [string, string];
  return { base: ipv4ToNumber(address), bits: Number(bits), why };
};

// RFC 6890 and the IANA special-purpose registry; anything not globally reachable.
const BLOCKED_V4: Range4[] = [
  v4('0.0.0.0/8', 'unspecified ("this network")'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'shared address space (CGNAT)'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'IETF protocol assignment'),
  v4('192.0.2.0/24', 'documentation'),
  v4('192.88.99.0/24', '6to4 relay anycast'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'benchmarking'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved (including broadcast)'),
];

/** Private, loopback and link-local: what `allowPrivate` lets through for self-hosted servers. */
const PRIVATE_REASONS = new Set(['private', 'loopback', 'link-local', 'shared address space (CGNAT)', 'unique-local', 'site-local']);

export interface AddressVerdict {
  allowed: boolean;
  /** Why it is refused, for the error message; null when allowed. */
  reason: string | null;
}

/**
 * Whether `address` (an IPv4 or IPv6 literal, brackets and zone id tolerated) may be connected
 * to. With `allowPrivate`, private, loopback and link-local addresses (and their IPv6 forms)
 * pass too; unspecified, multicast and reserved addresses never do, since nothing serves there.
 */
export function checkAddress(address: string, options: { allowPrivate?: boolean } = {}): AddressVerdict {
  const reason = blockedReason(address);
  if (reason === null) return { allowed: true, reason: null };
  if (options.allowPrivate && PRIVATE_REASONS.has(reason.replace(/^IPv4-\S+ form of /, ''))) return { allowed: true, reason: null };
  return { allowed: false, reason };
}

/** The reason an address is refused, or null if it is a public unicast address. */
export function blockedReason(address: string): string | null {
  const literal = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(literal)) return blockedV4(ipv4ToNumber(literal));
  if (isIPv6(literal)) return blockedV6(parseIPv6(literal));
  return 'not an IP address';
}

function blockedV4(n: number): string | null {
  for (const range of BLOCKED_V4) {
    const mask = range.bits === 0 ? 0 : (~0 << (32 - range.bits)) >>> 0;
    if (((n & mask) >>> 0) === ((range.base & mask) >>> 0)) return range.why;
  }
  return null;
}

function blockedV6(g: number[]): string | null {
  const [g0, g1, g2, g3, g4, g5] = g as [number, number, number, number, number, number];
  const low32 = ((g[6]! << 16) >>> 0) + g[7]!;
  const zeroUpTo = (end: number) => g.slice(0, end).every((x) => x === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  // ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (SIIT translated).
  if (zeroUpTo(5) && g5 === 0xffff) return embedded('mapped', low32);
  if (zeroUpTo(4) && g4 === 0xffff && g5 === 0) return embedded('translated', low32);
  // ::a.b.c.d, deprecated but still routed to the IPv4 address by some stacks.
  if (zeroUpTo(6)) return embedded('compatible', low32);
  // NAT64: the well-known prefix carries the IPv4 address in the last 32 bits.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return embedded('NAT64', low32);
  // The local-use NAT64 prefix (RFC 8215) only exists inside an operator's network.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return 'local-use NAT64';
  // 6to4 carries the IPv4 address in bits 16..47.
  if (g0 === 0x2002) return embedded('6to4', ((g1 << 16) >>> 0) + g2);
  // Teredo tunnels to an obfuscated IPv4 address chosen by whoever controls the server field.
  if (g0 === 0x2001 && g1 === 0) return 'Teredo';
  if (g0 === 0x2001 && g1 === 0xdb8) return 'documentation';
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return 'discard-only';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0) return 'site-local';
  if ((g0 & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  return null;
}

function embedded(form: string, ipv4: number): string | null {
  const reason = blockedV4(ipv4);
  return reason === null ? null : `IPv4-${form} form of ${reason}`;
}

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((n, part) => ((n << 8) >>> 0) + Number(part), 0) >>> 0;
}

/** Eight 16-bit groups of a valid IPv6 literal (validated by `isIPv6` first). */
function parseIPv6(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = ipv4ToNumber(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, null];
  const parts = (s: string) => (s === '' ? [] : s.split(':').map((h) => parseInt(h, 16)));
  if (tail === null) return parts(head);
  const left = parts(head);
  const right = parts(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * A host name an outbound request may name. A trailing dot makes a fully qualified name that
 * resolves like the bare one but slips past suffix comparisons (`localhost.`), so it is refused.
 */
export function hostNameProblem(hostname: string): string | null {
  if (hostname.length === 0) return 'has no host';
  if (hostname.endsWith('.')) return 'must not end with a dot';
  return null;
}
