// Kubernetes' URL library (k8s.io/apiserver/pkg/cel/library/urls.go): url(string) values of type
// kubernetes.URL (checked with Go's url.ParseRequestURI, then parsed with url.Parse so a fragment
// is split off) with getScheme, getHost, getHostname, getPort, getEscapedPath, getQuery; isURL.
// Two urls are equal when their Go String() forms are.
import { celFunc, celMethod, CelScalar, listType, mapType } from '@bufbuild/cel';
import { opaqueType } from './cel-opaque.js';
import { escapedPath, hostname, parseRequestURI, parseURL, port, query, urlString, type GoURL } from './gourl.js';

export const URL_TYPE = opaqueType<GoURL>('kubernetes.URL', (a, b) => urlString(a) === urlString(b));
const U = URL_TYPE.type;
const { BOOL, STRING } = CelScalar;

function u(v: unknown): GoURL {
  const out = URL_TYPE.get(v);
  if (!out) throw new Error('no such overload');
  return out;
}

function toURL(s: string): GoURL {
  try {
    parseRequestURI(s);
    return parseURL(s);
  } catch (err) {
    throw new Error(`URL parse error during conversion from string: ${(err as Error).message}`);
  }
}

function isURL(s: string): boolean {
  try {
    parseRequestURI(s);
    return true;
  } catch {
    return false;
  }
}

export const urlFuncs = [
  celFunc('url', [STRING], U, (s) => URL_TYPE.make(toURL(s)) as never),
  celFunc('isURL', [STRING], BOOL, isURL),
  celMethod('getScheme', U, [], STRING, function () {
    return u(this).scheme;
  }),
  celMethod('getHost', U, [], STRING, function () {
    return u(this).host;
  }),
  celMethod('getHostname', U, [], STRING, function () {
    return hostname(u(this));
  }),
  celMethod('getPort', U, [], STRING, function () {
    return port(u(this));
  }),
  celMethod('getEscapedPath', U, [], STRING, function () {
    return escapedPath(u(this));
  }),
  celMethod('getQuery', U, [], mapType(STRING, listType(STRING)), function () {
    return query(u(this));
  }),
];
