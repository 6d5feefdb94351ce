import type { OptionsSpec, OptionValues } from './args.js';
import type { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

export interface PositionalSpec {
  name: string;
  description: string;
  required: boolean;
}

export interface CommandContext<O extends OptionsSpec> {
  values: OptionValues<O>;
  positionals: string[];
  io: CliIo;
}

export interface Command<O extends OptionsSpec = OptionsSpec> {
  name: string;
  /** One line for the top-level command list. */
  summary: string;
  /** A paragraph or two for `<command> --help`: what it does and what a newcomer should know. */
  description: string;
  positionals: PositionalSpec[];
  options: O;
  examples: Array<{ command: string; explanation: string }>;
  run(context: CommandContext<O>): Promise<ExitCode>;
}

/** Identity function that keeps each command's option names typed in its `run`. */
export function defineCommand<const O extends OptionsSpec>(command: Command<O>): Command<O> {
  return command;
}

/** Every command gets -h/--help; it is handled before the command runs. */
export const helpOption = {
  help: { type: 'boolean', short: 'h', description: 'Show this help and exit.' },
} as const satisfies OptionsSpec;
