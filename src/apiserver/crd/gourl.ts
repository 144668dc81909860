// Go's net/url parsing as Kubernetes' CEL url library uses it: url.ParseRequestURI (an absolute
// URI or an absolute path, no fragment split) and url.Parse, with Go's error texts
// (`parse "x": invalid URI for request`), Hostname(), Port(), EscapedPath() and Query().

export interface GoURL {
  scheme: string;
  opaque: string;
  host: string;
  /** The path as written (still escaped). */
  rawPath: string;
  rawQuery: string;
  fragment: string;
}

class URLError extends Error {}

const fail = (raw: string, msg: string) => new URLError(`parse ${JSON.stringify(raw)}: ${msg}`);

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+.-]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new Error('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

/** shouldEscape for hosts: what may appear unescaped in a host name. */
function hostCharOK(c: string): boolean {
  return /[a-zA-Z0-9\-_.~!$&'()*+,;=:[\]<>"]/.test(c);
}

function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port);
}

/** Unescapes %XX sequences; in host mode rejects characters a host may not hold. */
function unescape(s: string, host: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Error(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2;
      continue;
    }
    if (host && c.charCodeAt(0) < 0x80 && !hostCharOK(c)) throw new Error(`invalid character ${JSON.stringify(c)} in host name`);
    out += c;
  }
  return out;
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new Error("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new Error(`invalid port ${JSON.stringify(colonPort)} after host`);
  } else {
    const i = host.lastIndexOf(':');
    if (i >= 0 && !validOptionalPort(host.slice(i))) throw new Error(`invalid port ${JSON.stringify(host.slice(i))} after host`);
  }
  return unescape(host, true);
}

function parseAuthority(authority: string): string {
  const at = authority.lastIndexOf('@');
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
  if (at >= 0 && !/^[a-zA-Z0-9\-._~!$&'()*+,;=:%@]*$/.test(authority.slice(0, at))) throw new Error('net/url: invalid userinfo');
  return host;
}

function parse(raw: string, viaRequest: boolean): GoURL {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new Error('net/url: invalid control character in URL');
  if (raw === '' && viaRequest) throw new Error('empty url');
  const u: GoURL = { scheme: '', opaque: '', host: '', rawPath: '', rawQuery: '', fragment: '' };
  if (raw === '*') {
    u.rawPath = '*';
    return u;
  }
  let rest: string;
  [u.scheme, rest] = getScheme(raw);
  u.scheme = u.scheme.toLowerCase();
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      u.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (u.scheme !== '') {
      u.opaque = rest;
      return u;
    }
    if (viaRequest) throw new Error('invalid URI for request');
    if ((rest.split('/')[0] ?? '').includes(':')) throw new Error('first path segment in URL cannot contain colon');
  }
  if ((u.scheme !== '' || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    u.host = parseAuthority(authority);
  }
  unescape(rest, false);
  u.rawPath = rest;
  return u;
}

function wrap<T>(raw: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw fail(raw, (err as Error).message);
  }
}

/** url.ParseRequestURI. */
export function parseRequestURI(raw: string): GoURL {
  return wrap(raw, () => parse(raw, true));
}

/** url.Parse: the fragment is split off first. */
export function parseURL(raw: string): GoURL {
  const hash = raw.indexOf('#');
  const u = wrap(raw, () => parse(hash < 0 ? raw : raw.slice(0, hash), false));
  if (hash >= 0) u.fragment = wrap(raw, () => unescape(raw.slice(hash + 1), false));
  return u;
}

function splitHostPort(hostPort: string): [string, string] {
  let host = hostPort;
  let port = '';
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && validOptionalPort(host.slice(colon))) {
    port = host.slice(colon + 1);
    host = host.slice(0, colon);
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return [host, port];
}

export const hostname = (u: GoURL): string => splitHostPort(u.host)[0];
export const port = (u: GoURL): string => splitHostPort(u.host)[1];

/** What a path may hold unescaped (shouldEscape with encodePath, plus '%'). */
const PATH_OK = /^[a-zA-Z0-9\-_.~$&+,/:;=@!'()*[\]%]*$/;

/** URL.EscapedPath: the path as written when it is a valid escaping, else Go's own escaping. */
export function escapedPath(u: GoURL): string {
  if (PATH_OK.test(u.rawPath)) return u.rawPath;
  const path = unescape(u.rawPath, false);
  return Array.from(new TextEncoder().encode(path), (b) => {
    const c = String.fromCharCode(b);
    return b < 0x80 && /[a-zA-Z0-9\-_.~$&+,/:;=@]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

function queryUnescape(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Error('invalid URL escape');
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === '+') {
      bytes.push(0x20);
    } else {
      bytes.push(...new TextEncoder().encode(c));
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** URL.Query (url.ParseQuery, malformed pairs and pairs with ';' dropped). */
export function query(u: GoURL): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of u.rawQuery.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    try {
      const k = queryUnescape(eq < 0 ? pair : pair.slice(0, eq));
      const v = eq < 0 ? '' : queryUnescape(pair.slice(eq + 1));
      out.set(k, [...(out.get(k) ?? []), v]);
    } catch {
      continue;
    }
  }
  return out;
}

/** URL.String, for equality of url values. */
export function urlString(u: GoURL): string {
  let s = u.scheme ? `${u.scheme}:` : '';
  if (u.opaque) s += u.opaque;
  else {
    if (u.scheme || u.host) s += `//${u.host}`;
    s += escapedPath(u);
  }
  if (u.rawQuery) s += `?${u.rawQuery}`;
  if (u.fragment) s += `#${u.fragment}`;
  return s;
}
