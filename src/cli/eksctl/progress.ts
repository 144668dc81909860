// Progress lines as eksctl's logger writes them: `2006-01-02 15:04:05 [ℹ]  message`, with ℹ for
// information, ✔ for success, ! for warnings and ✖ for failures.
import type { Clock } from '../../util/clock.js';

export interface Progress {
  info(msg: string): void;
  success(msg: string): void;
  warning(msg: string): void;
  critical(msg: string): void;
}

const pad = (n: number) => String(n).padStart(2, '0');

function stamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function progress(out: (line: string) => void, clock: Clock): Progress {
  const line = (icon: string) => (msg: string) => out(`${stamp(clock.now())} [${icon}]  ${msg}\n`);
  return { info: line('ℹ'), success: line('✔'), warning: line('!'), critical: line('✖') };
}
