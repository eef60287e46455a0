// The SSRF guard: a secret is only ever sent to a public address, unless the user allows internal ones.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** Private, loopback, link-local, CGNAT, multicast and otherwise non-public ranges. */
const INTERNAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  INTERNAL.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
] as const) {
  INTERNAL.addSubnet(net, bits, 'ipv6');
}

/** True for an address that is not on the public internet (IPv4, IPv6, and IPv4 mapped into IPv6). */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return INTERNAL.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address) ?? /^::(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) return INTERNAL.check(mapped[1]!, 'ipv4');
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hexMapped) {
    const hi = parseInt(hexMapped[1]!, 16);
    const lo = parseInt(hexMapped[2]!, 16);
    return INTERNAL.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
  }
  return INTERNAL.check(address, 'ipv6');
}

/** Raised when a host is or resolves to an internal address; names the host and address, never a secret. */
export class InternalAddressError extends Error {
  constructor(readonly host: string, readonly address: string) {
    super(`refused to send a secret to ${host} (${address} is a private, loopback or link-local address; --allow-internal permits it)`);
    this.name = 'InternalAddressError';
  }
}

/** A `dns.lookup`-shaped resolver returning every address of a host. */
export type ResolveAll = (host: string) => Promise<LookupAddress[]>;

/** Resolves with the system resolver (getaddrinfo, as connections do). */
export const systemResolve: ResolveAll = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that checks every address of the host and connects only to checked ones, so a
 * second DNS answer (rebinding) cannot slip an internal address in between the check and the connection.
 */
export function guardedLookup(allowInternal: boolean, resolveAll: ResolveAll = systemResolve) {
  return (host: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolveAll(host).then(
      (addresses) => {
        const bad = allowInternal ? undefined : addresses.find((a) => isInternalAddress(a.address));
        if (bad) return callback(new InternalAddressError(host, bad.address), '');
        if (addresses.length === 0) return callback(Object.assign(new Error(`no address for ${host}`), { code: 'ENOTFOUND' }), '');
        if (options.all) return callback(null, addresses);
        return callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

/** Checks a host that is an IP literal (connections to those skip `lookup`); names are checked at connect time. */
export function checkLiteralHost(host: string, allowInternal: boolean): void {
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  if (isIP(bare) !== 0 && !allowInternal && isInternalAddress(bare)) throw new InternalAddressError(host, bare);
}
