// The AWS endpoint over in-memory state, driven through the aws CLI's ec2 commands, for a describe()
// block: the endpoint starts before its tests and stops after them; restart() serves the same state
// from a new endpoint.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { awsCli, type AwsCli, type CliResult } from '../helpers/aws-cli.js';
import { RealClock } from '../../src/util/clock.js';
import { MemoryAwsStateStore, startAwsEndpoint, type AwsEndpoint } from '../../src/aws/index.js';

export interface Ec2Cli {
  readonly state: MemoryAwsStateStore;
  /** `aws --output json ec2 <args>`, with the parsed output of a successful call. */
  aws(...args: string[]): Promise<CliResult & { json: any }>;
  /** Runs a command that must fail with EC2 error `code`; returns its stderr. */
  fails(code: string, ...args: string[]): Promise<string>;
  restart(): Promise<void>;
}

export function ec2CliFixture(tmpPrefix: string, region: string): Ec2Cli {
  let endpoint: AwsEndpoint;
  let cli: AwsCli;
  const state = new MemoryAwsStateStore();
  const start = () => startAwsEndpoint({ host: '127.0.0.1', port: 0, state, region, enforceIam: false, clock: new RealClock() });
  before(async () => {
    cli = awsCli(tmpPrefix, region);
    endpoint = await start();
  });
  after(async () => {
    await endpoint.stop();
    cli.cleanup();
  });
  const aws = async (...args: string[]) => {
    const r = await cli.run(endpoint.url, ['--output', 'json', 'ec2', ...args]);
    return { ...r, json: r.code === 0 && r.stdout.trim() ? JSON.parse(r.stdout) : undefined };
  };
  return {
    state,
    aws,
    async fails(code, ...args) {
      const r = await aws(...args);
      assert.notEqual(r.code, 0, `${args.join(' ')} should fail`);
      assert.ok(r.stderr.includes(`(${code})`), `${args.join(' ')}: ${r.stderr}`);
      return r.stderr;
    },
    async restart() {
      await endpoint.stop();
      endpoint = await start();
    },
  };
}
