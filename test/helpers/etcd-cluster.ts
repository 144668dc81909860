// Real etcd servers on loopback for tests and benchmarks: one member or a small cluster, on free
// ports, in temporary data directories. Every process is killed and every directory removed on stop(),
// and on process exit as a last resort.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

export interface EtcdMember {
  readonly name: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  readonly dataDir: string;
  /** True while the process runs. */
  readonly alive: boolean;
}

export interface EtcdCluster {
  readonly members: readonly EtcdMember[];
  /** Client URLs of every member, in member order. */
  readonly endpoints: string[];
  /** Index of the member that currently leads (asks the live members). */
  leaderIndex(): Promise<number>;
  /** SIGKILLs one member and waits for the process to exit. */
  kill(index: number): Promise<void>;
  /** SIGSTOPs one member: it keeps its sockets but answers nothing (a hung or partitioned member). */
  freeze(index: number): void;
  /** SIGCONTs a frozen member. */
  thaw(index: number): void;
  /** Kills every member and removes the data directories. Safe to call twice. */
  stop(): Promise<void>;
}

export interface EtcdClusterOptions {
  /** Number of members (default 1). */
  size?: number;
  /** Raft heartbeat in ms; small on loopback so failover is quick (default 25). */
  heartbeatMs?: number;
  /** Raft election timeout in ms (default 10 heartbeats). */
  electionMs?: number;
  /** How long to wait for the cluster to report healthy (default 20 s). */
  startTimeoutMs?: number;
}

const ETCD_BIN = process.env.ETCD_BIN ?? 'etcd';
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Free TCP ports on 127.0.0.1, all held open at once so they are distinct. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<import('node:net').Server>((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      }),
    ),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

interface MemberState extends EtcdMember {
  child?: ChildProcess;
  exited?: Promise<void>;
  log: string[];
  alive: boolean;
}

function tail(log: string[]): string {
  return log.join('').split('\n').slice(-15).join('\n');
}

async function healthy(clientUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { health?: string };
    return res.ok && body.health === 'true';
  } catch {
    return false;
  }
}

/** etcd's grpc-gateway: POST /v3/maintenance/status answers the member's own id and its leader's id. */
async function memberStatus(clientUrl: string): Promise<{ memberId: string; leader: string } | undefined> {
  try {
    const res = await fetch(`${clientUrl}/v3/maintenance/status`, {
      method: 'POST',
      body: '{}',
      signal: AbortSignal.timeout(1000),
    });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { header?: { member_id?: string }; leader?: string };
    if (!body.header?.member_id || !body.leader) return undefined;
    return { memberId: body.header.member_id, leader: body.leader };
  } catch {
    return undefined;
  }
}

export async function startEtcdCluster(opts: EtcdClusterOptions = {}): Promise<EtcdCluster> {
  const size = opts.size ?? 1;
  const heartbeatMs = opts.heartbeatMs ?? 25;
  const electionMs = opts.electionMs ?? heartbeatMs * 10;
  const startTimeoutMs = opts.startTimeoutMs ?? 20_000;
  // tmpfs when the machine has one: etcd fsyncs every commit, and tests need not survive a power cut.
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const root = mkdtempSync(join(base, 'kumo-etcd-'));
  const ports = await freePorts(size * 2);
  const token = `kumo-test-${randomUUID()}`;
  const members: MemberState[] = Array.from({ length: size }, (_, i) => ({
    name: `m${i}`,
    clientUrl: `http://127.0.0.1:${ports[2 * i]}`,
    peerUrl: `http://127.0.0.1:${ports[2 * i + 1]}`,
    dataDir: join(root, `m${i}`),
    log: [],
    alive: false,
  }));
  const initialCluster = members.map((m) => `${m.name}=${m.peerUrl}`).join(',');

  const stop = async (): Promise<void> => {
    await Promise.all(members.map((m) => killMember(m)));
    rmSync(root, { recursive: true, force: true });
  };

  try {
    for (const m of members) {
      const child = spawn(
        ETCD_BIN,
        [
          '--name', m.name,
          '--data-dir', m.dataDir,
          '--listen-client-urls', m.clientUrl,
          '--advertise-client-urls', m.clientUrl,
          '--listen-peer-urls', m.peerUrl,
          '--initial-advertise-peer-urls', m.peerUrl,
          '--initial-cluster', initialCluster,
          '--initial-cluster-state', 'new',
          '--initial-cluster-token', token,
          // Room for a value of MAX_VALUE_BYTES (1.5 MiB, etcd's default limit for the whole request).
          '--max-request-bytes', String(3 * 1024 * 1024),
          '--heartbeat-interval', String(heartbeatMs),
          '--election-timeout', String(electionMs),
          '--logger', 'zap',
          '--log-outputs', 'stderr',
          '--log-level', 'warn',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      running.add(child);
      m.child = child;
      m.alive = true;
      const keep = (chunk: Buffer): void => {
        m.log.push(chunk.toString());
        if (m.log.length > 200) m.log.splice(0, m.log.length - 200);
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      m.exited = new Promise<void>((resolve) => {
        child.once('exit', () => {
          m.alive = false;
          running.delete(child);
          resolve();
        });
        child.once('error', (err) => {
          m.log.push(`spawn failed: ${err.message}\n`);
          m.alive = false;
          running.delete(child);
          resolve();
        });
      });
    }
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      const states = await Promise.all(members.map((m) => healthy(m.clientUrl)));
      if (states.every(Boolean)) break;
      const dead = members.find((m) => !m.alive);
      if (dead) throw new Error(`etcd member ${dead.name} exited during start:\n${tail(dead.log)}`);
      if (Date.now() > deadline) {
        throw new Error(`etcd cluster not healthy after ${startTimeoutMs} ms:\n${members.map((m) => `${m.name}: ${tail(m.log)}`).join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    members,
    endpoints: members.map((m) => m.clientUrl),
    async leaderIndex() {
      for (const m of members) {
        if (!m.alive) continue;
        const status = await memberStatus(m.clientUrl);
        if (!status || status.leader === '0') continue;
        for (let i = 0; i < members.length; i++) {
          const s = members[i].alive ? await memberStatus(members[i].clientUrl) : undefined;
          if (s?.memberId === status.leader) return i;
        }
      }
      throw new Error('no live etcd member knows a leader');
    },
    async kill(index: number) {
      await killMember(members[index]);
    },
    freeze(index: number) {
      if (members[index].alive) members[index].child?.kill('SIGSTOP');
    },
    thaw(index: number) {
      if (members[index].alive) members[index].child?.kill('SIGCONT');
    },
    stop,
  };
}

async function killMember(m: MemberState): Promise<void> {
  if (m.child && m.alive) m.child.kill('SIGKILL');
  await m.exited;
}
