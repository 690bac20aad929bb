// The commands of the runbook-alarms CLI and how to run each. A command's module, and what it needs
// (the runbook parser, YAML, the Slack renderer...), is loaded only when that command runs:
// `--help` and `--version` load none. What each command does and takes is in specs.ts.
import { CommandSpec } from './args';
import { budgetSpec, lintSpec, newSpec, oncallSpec, postmortemSpec, previewSpec, reportSpec } from './specs';

/** One command of the CLI. */
export interface CliCommand extends CommandSpec {
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

/** Every command, by name. Adding a command is one entry here. */
export const COMMANDS: Record<string, CliCommand> = {
  lint: { ...lintSpec, run: async (args) => (await import('./lint')).lintCommand(args) },
  new: { ...newSpec, run: async (args) => (await import('./new')).newCommand(args) },
  preview: { ...previewSpec, run: async (args) => (await import('./preview')).previewCommand(args) },
  postmortem: { ...postmortemSpec, run: async (args) => (await import('./postmortem')).postmortemCommand(args) },
  oncall: { ...oncallSpec, run: async (args) => (await import('./oncall')).oncallCommand(args) },
  budget: { ...budgetSpec, run: async (args) => (await import('./budget')).budgetCommand(args) },
  report: { ...reportSpec, run: async (args) => (await import('./health-report')).reportCommand(args) },
};
