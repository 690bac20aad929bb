// The runbook-alarms CLI: dispatches to the commands (lib/cli/commands.ts) and is the one place
// that turns errors into exit codes. It loads nothing a command does not need.
import { ExitCode, InputError, UsageError } from './args';
import { COMMANDS } from './commands';

/** The top-level usage text, listing the commands. */
export function usage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return [
    'Usage: runbook-alarms <command> [options]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n].summary}`),
    '',
    'Run `runbook-alarms <command> --help` for the options of a command.',
    'Exit codes: 0 no errors, 1 errors found, 2 usage or I/O error.',
    '',
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(usage());
    return name === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  if (name === '--version' || name === '-v') {
    const { packageVersion } = await import('./report');
    process.stdout.write(packageVersion() + '\n');
    return ExitCode.OK;
  }
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    const { closest } = await import('../core/text');
    const hint = name.startsWith('-') ? undefined : closest(name, Object.keys(COMMANDS));
    process.stderr.write(`runbook-alarms: unknown ${name.startsWith('-') ? 'option' : 'command'} "${name}"${hint ? `; did you mean "${hint}"?` : ''}\n\n${usage()}`);
    return ExitCode.USAGE;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`runbook-alarms ${name}: ${e.message}\n\n${command.help}`);
      return ExitCode.USAGE;
    }
    if (e instanceof InputError) {
      process.stderr.write(`runbook-alarms ${name}: ${e.message}\n`);
      return ExitCode.USAGE;
    }
    throw e;
  }
}
