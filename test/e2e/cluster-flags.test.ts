// The data-plane flags of `kumo apiserver`: --zones, --region and --instance-type shape the
// simulated nodes; an unknown instance type is refused before anything starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectl, kumoCommand, REPO_ROOT, startApiServer } from '../helpers/apiserver.js';

test('kumo apiserver --zones --region --instance-type', async (t) => {
  const server = await startApiServer(t, { storage: 'memory', extraArgs: ['--nodes', '2', '--zones', 'eu-west-1a,eu-west-1b', '--region', 'eu-west-1', '--instance-type', 'm5.xlarge'] });
  const nodes = JSON.parse(await kubectl(server, ['get', 'nodes', '-o', 'json'])).items as any[];
  assert.equal(nodes.length, 2);
  assert.deepEqual(nodes.map((n) => n.metadata.labels['topology.kubernetes.io/zone']).sort(), ['eu-west-1a', 'eu-west-1b']);
  for (const n of nodes) {
    assert.equal(n.metadata.labels['topology.kubernetes.io/region'], 'eu-west-1');
    assert.equal(n.metadata.labels['node.kubernetes.io/instance-type'], 'm5.xlarge');
    assert.equal(n.status.capacity.cpu, '4');
  }
});

test('kumo apiserver refuses an unknown --instance-type', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kumo-flags-'));
  try {
    const { cmd, args } = kumoCommand();
    const r = spawnSync(cmd, [...args, 'apiserver', '--port', '0', '--data-dir', dataDir, '--storage', 'memory', '--instance-type', 'm5.huge'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /option '--instance-type <type>' argument 'm5\.huge' is invalid\. known instance types: .*m5\.large/);
    assert.doesNotMatch(r.stdout, /ready at/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
