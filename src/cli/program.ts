import { Command } from 'commander';
import { apiserverCommand } from './apiserver.js';
import { eksctlCommands } from './eksctl/commands.js';
import { upCommand } from './up.js';

/** The `kumo` command line. Each subcommand lives in its own file and registers itself here. */
export function buildProgram(): Command {
  const program = new Command();
  program.name('kumo').description('Amazon EKS on one machine').version('0.1.0');
  program.addCommand(apiserverCommand());
  program.addCommand(upCommand());
  for (const c of eksctlCommands()) program.addCommand(c);
  return program;
}
