// `kumo up` started as a user starts it (a child process of the built CLI). Tests add the child to
// `children` so a t.after hook can SIGKILL leftovers.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kumoCommand, REPO_ROOT, TOOLS_BIN } from './apiserver.js';

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


/** A temp directory around one `kumo up` as a user runs it, removed with everything started in it after the test. */
export interface KumoUpWorkspace {
  readonly dir: string;
  readonly dataDir: string;
  readonly home: string;
  readonly kubeconfig: string;
  /** The running `kumo up`; restart() replaces it. */
  readonly up: KumoUp;
  /** Stops `kumo up` and starts it again on the same data directory with the same flags. */
  restart(): Promise<void>;
  /**
   * The environment of an aws CLI and kubectl user here: the tools on PATH, this HOME and kubeconfig,
   * empty AWS config files, credentials test/test in us-east-1; `extra` adds or overrides variables.
   */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
}

export async function kumoUpWorkspace(t: { after(fn: () => unknown): void }, tmpPrefix: string, flags: string[] = []): Promise<KumoUpWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), tmpPrefix));
  const dataDir = join(dir, 'data');
  const home = join(dir, 'home');
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(join(dir, 'aws-config'), '');
  writeFileSync(join(dir, 'aws-credentials'), '');
  const children = new Set<ChildProcess>();
  let up = await startKumoUp(dataDir, children, flags);
  t.after(async () => {
    await up.stop();
    for (const c of children) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    dataDir,
    home,
    kubeconfig,
    get up() {
      return up;
    },
    async restart() {
      await up.stop();
      up = await startKumoUp(dataDir, children, flags);
    },
    env: (extra = {}) => ({
      PATH: `${TOOLS_BIN}:${process.env.PATH ?? ''}`,
      HOME: home,
      KUBECONFIG: kubeconfig,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(dir, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
      ...extra,
    }),
  };
}
