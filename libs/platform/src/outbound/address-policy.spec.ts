import { blockedReason, checkAddress, hostNameProblem } from './address-policy';

describe('outbound address policy', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.254', 'CGNAT'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.170', 'IETF'],
    ['192.0.2.1', 'documentation'],
    ['192.88.99.1', '6to4 relay'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'benchmarking'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
  ])('refuses IPv4 %s (%s)', (address, why) => {
    expect(blockedReason(address)).toContain(why);
  });

  it.each(['8.8.8.8', '1.1.1.1', '100.63.255.255', '100.128.0.0', '172.15.255.255', '172.32.0.0', '169.253.0.1', '192.169.0.1', '223.255.255.255', '11.0.0.1'])(
    'lets public IPv4 %s through',
    (address) => {
      expect(blockedReason(address)).toBeNull();
    },
  );

  it.each([
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['feff::1', 'site-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped form of loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped form of loopback'],
    ['::FFFF:169.254.169.254', 'IPv4-mapped form of link-local'],
    ['::ffff:10.0.0.1', 'IPv4-mapped form of private'],
    ['::ffff:0:127.0.0.1', 'IPv4-translated form of loopback'],
    ['::127.0.0.1', 'IPv4-compatible form of loopback'],
    ['[::127.0.0.1]', 'IPv4-compatible form of loopback'],
    ['::a9fe:a9fe', 'IPv4-compatible form of link-local'],
    ['::0.0.0.2', 'IPv4-compatible form of unspecified'],
    ['64:ff9b::a9fe:a9fe', 'IPv4-NAT64 form of link-local'],
    ['64:ff9b::127.0.0.1', 'IPv4-NAT64 form of loopback'],
    ['64:ff9b::c0a8:101', 'IPv4-NAT64 form of private'],
    ['64:ff9b:1::8.8.8.8', 'local-use NAT64'],
    ['64:ff9b:1:abcd::1', 'local-use NAT64'],
    ['2002:7f00:1::', 'IPv4-6to4 form of loopback'],
    ['2002:a9fe:a9fe::1', 'IPv4-6to4 form of link-local'],
    ['2002:c0a8:0101::', 'IPv4-6to4 form of private'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['2001:db8::1', 'documentation'],
    ['100::1', 'discard-only'],
  ])('refuses IPv6 %s (%s)', (address, why) => {
    expect(blockedReason(address)).toContain(why);
  });

  it.each(['2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', 'fbff::1', 'fe7f::1', '2001:1::1'])(
    'lets public IPv6 %s through',
    (address) => {
      expect(blockedReason(address)).toBeNull();
    },
  );

  it('refuses what is not an address at all', () => {
    expect(blockedReason('localhost')).toBe('not an IP address');
    expect(blockedReason('1.2.3')).toBe('not an IP address');
  });

  it('with allowPrivate lets private, loopback, link-local and their IPv6 forms through, nothing else', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.20.0.5', '192.168.0.10', '169.254.169.254', '100.64.0.1', '::1', 'fd00::5', 'fe80::1', 'fec0::1', '::ffff:127.0.0.1', '64:ff9b::a9fe:a9fe']) {
      expect([address, checkAddress(address, { allowPrivate: true }).allowed]).toEqual([address, true]);
      expect([address, checkAddress(address).allowed]).toEqual([address, false]);
    }
    for (const address of ['0.0.0.0', '::', '224.0.0.1', 'ff02::1', '255.255.255.255', '2001:db8::1']) {
      expect([address, checkAddress(address, { allowPrivate: true }).allowed]).toEqual([address, false]);
    }
  });

  it('refuses host names with a trailing dot and empty hosts', () => {
    expect(hostNameProblem('LOCALHOST.')).toMatch(/dot/);
    expect(hostNameProblem('api.openai.com.')).toMatch(/dot/);
    expect(hostNameProblem('')).toMatch(/no host/);
    expect(hostNameProblem('api.openai.com')).toBeNull();
  });
});
