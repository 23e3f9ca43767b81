// What the environment asks of proxies: which variable names a proxy for each scheme, and which
// hosts NO_PROXY sends direct. Apart from proxy.ts because a transport without proxy support reads
// them too (to fail the calls a proxy should carry, and let the listed hosts go direct), and it is small.

import type net from "node:net";

export type ProxyEnv = Readonly<Record<string, string | undefined>>;

/** A variable set to a non-empty value. */
export interface ProxyVariable {
  readonly name: string;
  readonly value: string;
}

/** The first of `names` set to a non-empty value in `env`. */
function pick(env: ProxyEnv, ...names: string[]): ProxyVariable | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/**
 * The proxy variables of `env`, as curl reads them: `https_proxy` then `HTTPS_PROXY` for https URLs,
 * `http_proxy` then `HTTP_PROXY` for http URLs (no fallback from one scheme to the other, as curl
 * and Go), and `no_proxy` then `NO_PROXY`. Under CGI (`REQUEST_METHOD` set) `HTTP_PROXY` is ignored: a
 * client's `Proxy:` header arrives there as that variable (httpoxy).
 */
export function proxyVariables(env: ProxyEnv): { https?: ProxyVariable; http?: ProxyVariable; noProxy: string } {
  const https = pick(env, "https_proxy", "HTTPS_PROXY");
  const http = env["REQUEST_METHOD"] ? pick(env, "http_proxy") : pick(env, "http_proxy", "HTTP_PROXY");
  return { ...(https && { https }), ...(http && { http }), noProxy: pick(env, "no_proxy", "NO_PROXY")?.value ?? "" };
}

let netModule: typeof net | undefined;
const nodeNet = (): typeof net => (netModule ??= process.getBuiltinModule("node:net"));

interface NoProxyRule {
  /** A host name (lower case, no leading or trailing dot): it and its subdomains match. */
  readonly host?: string;
  /** An IP address or range: an IP-literal URL inside it matches. */
  readonly ip?: net.BlockList;
  /** Only this port matches (the URL's, or its scheme's default); undefined: any. */
  readonly port: number | undefined;
}

export interface NoProxyList {
  /** `*`: no request uses a proxy. */
  readonly all: boolean;
  readonly rules: readonly NoProxyRule[];
}

/**
 * NO_PROXY's entries, separated by commas or white space, matched case-insensitively against the
 * URL's host name (never a DNS lookup):
 * - `*` alone: nothing goes through a proxy;
 * - `example.com`, `.example.com` and `*.example.com` all match example.com and every subdomain of it
 *   (curl's reading: a leading `.` or `*.` is dropped);
 * - `host:port`, `[v6]:port`: only that port (the URL's, else 443 for https and 80 for http);
 * - an IPv4 or IPv6 address matches a URL with that literal address, and `10.0.0.0/8` or `fd00::/8`
 *   (CIDR) one inside the range.
 * Entries that parse as none of these are ignored.
 */
export function parseNoProxy(text: string): NoProxyList {
  const rules: NoProxyRule[] = [];
  let all = false;
  for (const raw of text.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === "*") {
      all = true;
      continue;
    }
    const rule = parseNoProxyEntry(entry);
    if (rule) rules.push(rule);
  }
  return { all, rules };
}

function parseNoProxyEntry(entry: string): NoProxyRule | undefined {
  let host = entry;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry);
  const withPort = /^([^:]+):(\d{1,5})$/.exec(entry);
  if (bracketed) {
    host = bracketed[1]!;
    port = bracketed[2] === undefined ? undefined : Number(bracketed[2]);
  } else if (withPort) {
    host = withPort[1]!;
    port = Number(withPort[2]);
  }
  const { isIP, BlockList } = nodeNet();
  const slash = host.indexOf("/");
  const address = slash === -1 ? host : host.slice(0, slash);
  const family = isIP(address);
  if (family !== 0) {
    const list = new BlockList();
    const type = family === 4 ? "ipv4" : "ipv6";
    if (slash === -1) {
      list.addAddress(address, type);
    } else {
      const bits = Number(host.slice(slash + 1));
      if (!/^\d{1,3}$/.test(host.slice(slash + 1)) || bits > (family === 4 ? 32 : 128)) return undefined;
      list.addSubnet(address, bits, type);
    }
    return { ip: list, port };
  }
  if (slash !== -1 || host.includes(":")) return undefined;
  const name = host.replace(/^\*?\./, "").replace(/\.$/, "");
  return name ? { host: name, port } : undefined;
}

/** Whether `list` sends a request for `hostname` (no brackets) and `port` direct. */
export function bypassesProxy(list: NoProxyList, hostname: string, port: number): boolean {
  if (list.all) return true;
  if (list.rules.length === 0) return false;
  const host = hostname.toLowerCase().replace(/\.$/, "");
  const family = nodeNet().isIP(host);
  for (const rule of list.rules) {
    if (rule.port !== undefined && rule.port !== port) continue;
    if (rule.host !== undefined) {
      // An IP-literal URL matches address entries only (a name entry "0.1" is no suffix of 127.0.0.1).
      if (host === rule.host || (family === 0 && host.endsWith(`.${rule.host}`))) return true;
    } else if (family !== 0 && rule.ip?.check(host, family === 4 ? "ipv4" : "ipv6")) {
      return true;
    }
  }
  return false;
}
