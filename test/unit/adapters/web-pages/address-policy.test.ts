// The SSRF guard's address rules: every non-public range refused, public addresses allowed, loopback only when allowed.
import { describe, expect, it } from 'vitest';
import { refusedAddressReason, refusedHostnameReason } from '../../../../backend/src/adapters/web-pages/address-policy.js';

const strict = { allowLoopback: false };
const loopbackAllowed = { allowLoopback: true };

describe('refusedAddressReason', () => {
  it.each([
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['169.254.10.10', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['fd00:ec2::254', 'metadata'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:7f00:1', 'IPv4-mapped'],
    ['::ffff:10.0.0.1', 'IPv4-mapped'],
    ['::ffff:169.254.169.254', 'IPv4-mapped'],
    ['64:ff9b::a00:1', 'NAT64'],
  ])('refuses %s (%s)', (address, kind) => {
    expect(refusedAddressReason(address, strict)).toContain(kind);
  });

  it.each(['8.8.8.8', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001::200e'])('allows the public address %s', (address) => {
    expect(refusedAddressReason(address, strict)).toBeNull();
  });

  it('allowLoopback allows 127/8 and ::1 only: mapped forms, private and metadata addresses stay refused', () => {
    expect(refusedAddressReason('127.0.0.1', loopbackAllowed)).toBeNull();
    expect(refusedAddressReason('127.0.0.2', loopbackAllowed)).toBeNull();
    expect(refusedAddressReason('::1', loopbackAllowed)).toBeNull();
    for (const address of ['::ffff:127.0.0.1', '10.0.0.1', '169.254.169.254', 'fd00:ec2::254', '192.168.0.1']) {
      expect(refusedAddressReason(address, loopbackAllowed)).not.toBeNull();
    }
  });

  it('refuses text that is not an IP address', () => {
    expect(refusedAddressReason('example.com', strict)).toContain('not an IP address');
  });
});

describe('refusedHostnameReason', () => {
  it.each(['metadata.google.internal', 'metadata.google.internal.', 'metadata.goog', 'metadata'])('refuses the metadata host %s by name, even with loopback allowed', (name) => {
    expect(refusedHostnameReason(name, loopbackAllowed)).toContain('metadata');
  });

  it('refuses localhost names unless loopback is allowed', () => {
    expect(refusedHostnameReason('localhost', strict)).toContain('loopback');
    expect(refusedHostnameReason('api.localhost', strict)).toContain('loopback');
    expect(refusedHostnameReason('localhost', loopbackAllowed)).toBeNull();
  });

  it('checks IP literals by the address rules and lets other names through to resolution', () => {
    expect(refusedHostnameReason('10.1.2.3', strict)).toContain('private');
    expect(refusedHostnameReason('www.example.com', strict)).toBeNull();
  });
});
