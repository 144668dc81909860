// HttpClientOptions from kubeconfig text: the current or a named context, inline or file CA and
// token, and clear errors for what a client cannot use.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { clientOptionsFromKubeconfig } from '../../src/client/kubeconfig.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function config(over: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'one', cluster: { server: 'https://127.0.0.1:1111', 'certificate-authority-data': Buffer.from(PEM).toString('base64') } },
      { name: 'two', cluster: { server: 'https://127.0.0.1:2222', 'certificate-authority-data': 'Zm9v' } },
    ],
    users: [
      { name: 'admin', user: { token: 'secret-1' } },
      { name: 'certs', user: { 'client-certificate-data': 'x', 'client-key-data': 'y' } },
    ],
    contexts: [
      { name: 'a', context: { cluster: 'one', user: 'admin' } },
      { name: 'b', context: { cluster: 'two', user: 'admin' } },
      { name: 'c', context: { cluster: 'one', user: 'certs' } },
    ],
    'current-context': 'a',
    ...over,
  };
}

describe('kubeconfig', () => {
  test('the current context, or a named one', () => {
    assert.deepEqual(clientOptionsFromKubeconfig(stringify(config())), { server: 'https://127.0.0.1:1111', caData: Buffer.from(PEM).toString('base64'), token: 'secret-1' });
    assert.equal(clientOptionsFromKubeconfig(stringify(config()), 'b').server, 'https://127.0.0.1:2222');
  });

  test('CA and token from files', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'kumo-kubeconfig-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'ca.crt'), PEM);
    writeFileSync(join(dir, 'token'), 'from-file\n');
    const c = config({
      clusters: [{ name: 'one', cluster: { server: 'https://h:1', 'certificate-authority': join(dir, 'ca.crt') } }],
      users: [{ name: 'admin', user: { tokenFile: join(dir, 'token') } }],
    });
    assert.deepEqual(clientOptionsFromKubeconfig(stringify(c)), { server: 'https://h:1', caData: PEM, token: 'from-file' });
  });

  test('what cannot be used is named', () => {
    assert.throws(() => clientOptionsFromKubeconfig(stringify(config()), 'c'), /user "certs" has no token \(only bearer tokens are supported\)/);
    assert.throws(() => clientOptionsFromKubeconfig(stringify(config()), 'zzz'), /no context named "zzz"/);
    assert.throws(() => clientOptionsFromKubeconfig(stringify(config({ 'current-context': '' }))), /no current-context/);
    assert.throws(() => clientOptionsFromKubeconfig('- just a list'), /not a YAML object/);
  });
});
