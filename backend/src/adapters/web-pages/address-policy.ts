// The SSRF guard's rules: which host names and IP addresses the page fetcher refuses before any connection.
import { BlockList, isIP } from 'node:net';

export interface AddressPolicyOptions {
  /** Allow 127.0.0.0/8 and ::1 (exactly those; mapped forms stay refused): for tests and the local stand-ins only. */
  readonly allowLoopback: boolean;
}

/** Cloud metadata endpoints, refused by name whatever they resolve to. */
const METADATA_HOSTNAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal']);
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200', '169.254.170.2']);

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Every range that is not the public internet, with the name a refusal message gives it. */
const REFUSED_RANGES: readonly (readonly [string, number, 'ipv4' | 'ipv6', string])[] = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'ipv4', 'documentation'],
  ['192.88.99.0', 24, 'ipv4', '6to4 relay'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['198.51.100.0', 24, 'ipv4', 'documentation'],
  ['203.0.113.0', 24, 'ipv4', 'documentation'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  // Forms that carry an IPv4 address inside IPv6 are refused whole: the embedded address could be anything.
  ['::ffff:0:0', 96, 'ipv6', 'IPv4-mapped'],
  ['::', 96, 'ipv6', 'IPv4-compatible'],
  ['64:ff9b::', 96, 'ipv6', 'NAT64'],
  ['64:ff9b:1::', 48, 'ipv6', 'NAT64 (local use)'],
  ['2002::', 16, 'ipv6', '6to4'],
  ['2001::', 32, 'ipv6', 'Teredo'],
  ['100::', 64, 'ipv6', 'discard-only'],
  ['2001:db8::', 32, 'ipv6', 'documentation'],
  ['fc00::', 7, 'ipv6', 'unique local (private)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'site-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const RANGE_LISTS = REFUSED_RANGES.map(([network, prefix, family, label]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, family, label };
});

/** Why `address` (an IP literal) may not be connected to, or null when it may. Non-IP text is refused. */
export function refusedAddressReason(address: string, options: AddressPolicyOptions): string | null {
  const version = isIP(address);
  if (version === 0) return `"${address}" is not an IP address`;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const lower = address.toLowerCase();
  if (METADATA_ADDRESSES.has(lower)) return `${address} is a cloud metadata address`;
  if (options.allowLoopback && isExactLoopback(lower, family)) return null;
  for (const { list, family: rangeFamily, label } of RANGE_LISTS) {
    // A BlockList matches IPv4-mapped IPv6 against IPv4 rules too, so only same-family checks are made.
    if (rangeFamily === family && list.check(lower, family)) return `${address} is in the ${label} range`;
  }
  return null;
}

/** Why the URL's host name is refused before it is even resolved, or null. `hostname` is lower case without brackets. */
export function refusedHostnameReason(hostname: string, options: AddressPolicyOptions): string | null {
  const name = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  if (name === '') return 'the URL has no host';
  if (METADATA_HOSTNAMES.has(name)) return `${name} is a cloud metadata host`;
  if (!options.allowLoopback && (name === 'localhost' || name.endsWith('.localhost'))) return `${name} is a loopback name`;
  if (isIP(name) !== 0) return refusedAddressReason(name, options);
  return null;
}

function isExactLoopback(address: string, family: 'ipv4' | 'ipv6'): boolean {
  // `::ffff:127.0.0.1` also matches the IPv4 rule through the BlockList's mapping, so the IPv6 case is ::1 only.
  if (family === 'ipv6') return address === '::1' || address === '0:0:0:0:0:0:0:1';
  return LOOPBACK.check(address, 'ipv4');
}
