import ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses an IP or CIDR ("10.0.0.0/8", "2001:db8::/32", "203.0.113.7"); undefined when invalid. */
export function parseRange(entry: string): Range | undefined {
  try {
    if (entry.includes('/')) {
      const [addr, bits] = ipaddr.parseCIDR(entry);
      return [
        normalise(addr),
        addr.kind() === 'ipv6' && normalise(addr).kind() === 'ipv4' ? bits - 96 : bits,
      ];
    }
    if (!ipaddr.isValid(entry)) return undefined;
    const addr = normalise(ipaddr.parse(entry));
    return [addr, addr.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return undefined;
  }
}

// An IPv4-mapped IPv6 address (::ffff:1.2.3.4) is the IPv4 address it carries.
function normalise(addr: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()
    ? (addr as ipaddr.IPv6).toIPv4Address()
    : addr;
}

export function isValidRange(entry: string): boolean {
  const range = parseRange(entry);
  return range !== undefined && range[1] >= 0;
}

/** True when `ip` falls in any of the ranges. An unparsable IP matches nothing. */
export function ipAllowed(ip: string | undefined, allowlist: readonly string[]): boolean {
  if (!ip) return false;
  const parsed = parseRange(ip);
  if (!parsed) return false;
  const [addr] = parsed;
  return allowlist.some((entry) => {
    const range = parseRange(entry);
    return range !== undefined && range[0].kind() === addr.kind() && addr.match(range as never);
  });
}
