// The preinstalled `aws` CLI, run the way a user runs it but isolated from this machine: its own
// HOME and empty config and credentials files, the given keys, no retries and no pager.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface AwsCli {
  home: string;
  /** `aws --endpoint-url <endpoint> <args>`; a failing command resolves with its exit code. */
  run(endpoint: string, args: string[], creds?: { key?: string; secret?: string }): Promise<CliResult>;
  /** Removes the home directory. */
  cleanup(): void;
}

export function awsCli(prefix = 'kumo-aws-cli-', region = 'us-east-1'): AwsCli {
  const home = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(home, 'config'), '');
  writeFileSync(join(home, 'credentials'), '');
  return {
    home,
    run(endpoint, args, creds = {}) {
      const env = {
        PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: creds.key ?? 'test', AWS_SECRET_ACCESS_KEY: creds.secret ?? 'test', AWS_DEFAULT_REGION: region,
        AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'), AWS_MAX_ATTEMPTS: '1', AWS_PAGER: '',
      };
      return new Promise((resolve) => {
        execFile('aws', ['--endpoint-url', endpoint, ...args], { env }, (err, stdout, stderr) => {
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
        });
      });
    },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}
