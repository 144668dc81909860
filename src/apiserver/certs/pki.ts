// The API server's PKI: a cluster CA and a serving certificate signed by it, generated once into
// `<dataDir>/pki/` and reused on every restart, so kubeconfigs written earlier stay valid.
import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import './reflect-metadata.js';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;
const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

export interface ServingPki {
  /** PEM of the CA certificate (what kubeconfig's certificate-authority-data carries). */
  caCert: string;
  /** PEM of the serving certificate and its PKCS#8 private key. */
  cert: string;
  key: string;
}

/** SANs upstream's kube-apiserver puts on its serving certificate, plus the loopback names Kumo listens on. */
export function defaultServingNames(): { dns: string[]; ips: string[] } {
  return {
    dns: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'],
    ips: ['127.0.0.1', '::1', '10.96.0.1'],
  };
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function exportKey(key: CryptoKey): Promise<string> {
  return pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key));
}

async function importKey(pemText: string): Promise<CryptoKey> {
  const der = Buffer.from(pemText.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return (await webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign'])) as CryptoKey;
}

function serial(): string {
  // Positive 16-byte serial (RFC 5280 §4.1.2.2): clear the top bit.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] &= 0x7f;
  return Buffer.from(bytes).toString('hex');
}

async function createCa(): Promise<{ cert: string; key: string }> {
  const keys = await newKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=kumo-ca',
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + TEN_YEARS_MS),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await exportKey(keys.privateKey) };
}

async function createServing(caCertPem: string, caKeyPem: string, names: { dns: string[]; ips: string[] }): Promise<{ cert: string; key: string }> {
  const ca = new x509.X509Certificate(caCertPem);
  const caKey = await importKey(caKeyPem);
  const keys = await newKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=kube-apiserver',
    issuer: ca.subject,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + ONE_YEAR_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.dns.map((value) => ({ type: 'dns' as const, value })),
        ...names.ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca, false),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await exportKey(keys.privateKey) };
}

/** True when the PEM certificate is valid for at least another `marginMs` and names every wanted SAN. */
function stillGood(certPem: string, names: { dns: string[]; ips: string[] }, marginMs: number): boolean {
  try {
    const cert = new X509Certificate(certPem);
    if (Date.parse(cert.validTo) - Date.now() < marginMs) return false;
    const san = cert.subjectAltName ?? '';
    return names.dns.every((d) => san.includes(`DNS:${d}`)) && names.ips.every((ip) => cert.checkIP(ip) !== undefined);
  } catch {
    return false;
  }
}

/**
 * Loads `<dataDir>/pki/{ca,apiserver}.{crt,key}`, creating what is missing. The CA is never replaced once
 * written; the serving certificate is re-issued from it when it nears expiry or lacks a wanted name.
 */
export async function loadOrCreatePki(dataDir: string, names = defaultServingNames()): Promise<ServingPki> {
  const dir = join(dataDir, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const paths = { caCert: join(dir, 'ca.crt'), caKey: join(dir, 'ca.key'), cert: join(dir, 'apiserver.crt'), key: join(dir, 'apiserver.key') };
  if (!existsSync(paths.caCert) || !existsSync(paths.caKey)) {
    const ca = await createCa();
    writeFileSync(paths.caKey, ca.key, { mode: 0o600 });
    writeFileSync(paths.caCert, ca.cert);
  }
  const caCert = readFileSync(paths.caCert, 'utf8');
  const caKey = readFileSync(paths.caKey, 'utf8');
  if (!existsSync(paths.cert) || !existsSync(paths.key) || !stillGood(readFileSync(paths.cert, 'utf8'), names, 30 * 24 * 3600 * 1000)) {
    const serving = await createServing(caCert, caKey, names);
    writeFileSync(paths.key, serving.key, { mode: 0o600 });
    writeFileSync(paths.cert, serving.cert);
  }
  return { caCert, cert: readFileSync(paths.cert, 'utf8'), key: readFileSync(paths.key, 'utf8') };
}
