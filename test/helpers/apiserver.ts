// Starts `kumo apiserver` the way a user does (a separate process, `--port 0`, a temporary data
// directory), waits for its ready line and gives tests the URL and kubeconfig. Every process is
// killed on stop(), via t.after when a test context is given, and on process exit as a last resort.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** Compiled tests live in dist/test/helpers; tsx runs them from test/helpers. */
const compiled = import.meta.url.endsWith('.js');
export const REPO_ROOT = compiled ? resolve(here, '../../..') : resolve(here, '../..');
export const TOOLS_BIN = join(REPO_ROOT, '.tools', 'bin');

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** The command line that runs `kumo` from this checkout. */
export function kumoCommand(): { cmd: string; args: string[] } {
  if (compiled) return { cmd: process.execPath, args: [join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js')] };
  return { cmd: process.execPath, args: ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'main.ts')] };
}

/** The environment for kubectl/helm: the tools on PATH, no stray kubeconfig or helm state of the user. */
export function toolEnv(kubeconfig: string, home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${TOOLS_BIN}:${process.env.PATH ?? ''}`,
    KUBECONFIG: kubeconfig,
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    HELM_CACHE_HOME: join(home, '.cache', 'helm'),
    HELM_CONFIG_HOME: join(home, '.config', 'helm'),
    HELM_DATA_HOME: join(home, '.local', 'share', 'helm'),
  };
}

export interface TestApiServer {
  url: string;
  kubeconfig: string;
  dataDir: string;
  /** A scratch HOME for tools run against this server. */
  home: string;
  env: NodeJS.ProcessEnv;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s); keeps the data directory. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Reuse a data directory (restart); by default a fresh temporary one that is removed afterwards. */
  dataDir?: string;
  storage?: 'sqlite' | 'memory' | 'etcd';
  /** A fixed port (to restart a server where clients expect it); default 0, a free one. */
  port?: number;
  extraArgs?: string[];
  startTimeoutMs?: number;
}

interface Hooks {
  after(fn: () => Promise<void> | void): void;
}

export async function startApiServer(t: Hooks | undefined, opts: StartOptions = {}): Promise<TestApiServer> {
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'kumo-apiserver-'));
  const home = join(dataDir, 'home');
  const { cmd, args } = kumoCommand();
  const child = spawn(cmd, [...args, 'apiserver', '--port', String(opts.port ?? 0), '--data-dir', dataDir, '--storage', opts.storage ?? 'sqlite', ...(opts.extraArgs ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: REPO_ROOT,
  });
  running.add(child);
  let log = '';
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  exited.then(() => running.delete(child));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  t?.after(async () => {
    await stop();
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`kumo apiserver did not become ready in time:\n${log}`)), opts.startTimeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const m = /kumo apiserver ready at (https:\/\/\S+),/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`kumo apiserver exited (${code ?? signal}) before it was ready:\n${log}`));
    });
  }).catch(async (err) => {
    await stop();
    throw err;
  });
  const kubeconfig = join(dataDir, 'kubeconfig');
  if (!existsSync(kubeconfig)) throw new Error(`no kubeconfig at ${kubeconfig}`);
  return { url, kubeconfig, dataDir, home, env: toolEnv(kubeconfig, home), output: () => log, stop };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a tool (kubectl, helm) with the server's environment; never throws for a non-zero exit. */
export function run(server: Pick<TestApiServer, 'env'>, tool: string, args: string[], opts: { input?: string; timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(tool, args, { env: server.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolveRun({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs kubectl and fails with its output when it exits non-zero. */
export async function kubectl(server: Pick<TestApiServer, 'env'>, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await run(server, 'kubectl', args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): any;
}

/** One raw HTTPS request to the server as the admin (or with `token`), verifying TLS with the server's CA. */
export async function apiRequest(
  server: Pick<TestApiServer, 'url' | 'dataDir'>,
  method: string,
  path: string,
  opts: { body?: string | Buffer; contentType?: string; accept?: string; token?: string | null } = {},
): Promise<ApiResponse> {
  const { request } = await import('node:https');
  const { readFileSync } = await import('node:fs');
  const ca = readFileSync(join(server.dataDir, 'pki', 'ca.crt'));
  const token = opts.token === undefined ? readFileSync(join(server.dataDir, 'admin-token'), 'utf8').trim() : opts.token;
  const headers: Record<string, string> = {};
  if (token) headers['Authorization'] = `Bearer ${token}`;
  if (opts.contentType) headers['Content-Type'] = opts.contentType;
  if (opts.accept) headers['Accept'] = opts.accept;
  return new Promise((resolveRes, reject) => {
    const req = request(new URL(path, server.url), { method, ca, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        resolveRes({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
