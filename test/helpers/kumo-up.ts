// `kumo up` started as a user starts it (a child process of the built CLI). Tests add the child to
// `children` so a t.after hook can SIGKILL leftovers.
import { spawn, type ChildProcess } from 'node:child_process';
import { kumoCommand, REPO_ROOT } from './apiserver.js';

export interface KumoUp {
  url: string;
  stop(): Promise<void>;
}

export async function startKumoUp(dataDir: string, children: Set<ChildProcess>, extraArgs: string[] = []): Promise<KumoUp> {
  const { cmd, args } = kumoCommand();
  const child = spawn(cmd, [...args, 'up', '--port', '0', '--data-dir', dataDir, '--cluster-create-delay', '200ms', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO_ROOT });
  children.add(child);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    children.delete(child);
  };
  let log = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`kumo up did not become ready:\n${log}`)), 30_000);
    child.stdout!.on('data', (c: Buffer) => {
      log += c.toString();
      const m = /kumo up: AWS endpoint (http:\/\/\S+) \(region [a-z0-9-]+\)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kumo up exited (${code}) before it was ready:\n${log}`));
    });
  }).catch(async (err) => {
    await stop();
    throw err;
  });
  return { url, stop };
}

