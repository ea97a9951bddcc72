import { BlockList, isIP } from 'node:net';

/**
 * IP allowlists on Node's own CIDR matcher (net.BlockList): IPv4 and IPv6 addresses and CIDRs.
 * An IPv4-mapped IPv6 address (::ffff:1.2.3.4) is the IPv4 address it carries.
 */
type Family = 'ipv4' | 'ipv6';

function address(raw: string): { addr: string; family: Family } | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(raw);
  const addr = mapped?.[1] ?? raw;
  const version = isIP(addr);
  return version === 0 ? undefined : { addr, family: version === 4 ? 'ipv4' : 'ipv6' };
}

function range(entry: string): { addr: string; family: Family; prefix: number } | undefined {
  const [raw = '', bits, extra] = entry.split('/');
  if (extra !== undefined) return undefined;
  const parsed = address(raw);
  if (!parsed) return undefined;
  const max = parsed.family === 'ipv4' ? 32 : 128;
  if (bits === undefined) return { ...parsed, prefix: max };
  if (!/^\d{1,3}$/.test(bits)) return undefined;
  let prefix = Number(bits);
  // A CIDR written in IPv4-mapped form (::ffff:10.0.0.0/104) is the IPv4 CIDR it covers.
  if (parsed.addr !== raw) prefix -= 96;
  return prefix >= 0 && prefix <= max ? { ...parsed, prefix } : undefined;
}

export const isValidRange = (entry: string) => range(entry) !== undefined;

/** True when `ip` falls in any of the ranges. An unparsable IP matches nothing. */
export function ipAllowed(ip: string | undefined, allowlist: readonly string[]): boolean {
  const parsed = ip ? address(ip) : undefined;
  if (!parsed) return false;
  const list = new BlockList();
  for (const entry of allowlist) {
    const r = range(entry);
    if (r) list.addSubnet(r.addr, r.prefix, r.family);
  }
  return list.check(parsed.addr, parsed.family);
}
