import packageJson from '../package.json' with { type: 'json' };
import { commands } from './commands/index.js';
import { ExitCode } from './exit-codes.js';
import { commandHelp, mainHelp } from './help.js';
import type { CliIo } from './io.js';
import { closestMatch } from './suggest.js';

// Modules that need @matryoshka/core (and with it ONNX Runtime and sharp, ~0.5 s to load) are
// imported on first use, so `--help` and `--version` answer at once.
const usageError = async (message: string, hint?: string) =>
  (await import('./usage-error.js')).usageError(message, hint);

export const VERSION: string = packageJson.version;

function helpWidth(io: CliIo): number {
  const columns = (io.stdout as { columns?: number }).columns;
  return Math.min(100, columns ?? 100);
}

/** Whether `--help` appears before a `--` that would make it a prompt. */
function asksForHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '-h' || arg === '--help') return true;
  }
  return false;
}

/** Runs one command line and returns the exit code; never throws and never calls process.exit. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const json = argv.includes('--json');
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.stderr.write(mainHelp(commands, VERSION, helpWidth(io)));
      return ExitCode.usage;
    }
    if (first === '-h' || first === '--help' || (first === 'help' && rest.length === 0)) {
      io.stdout.write(mainHelp(commands, VERSION, helpWidth(io)));
      return ExitCode.ok;
    }
    if (first === '-v' || first === '--version' || first === 'version') {
      io.stdout.write(`${VERSION}\n`);
      return ExitCode.ok;
    }
    const wantsHelp = first === 'help';
    const name = wantsHelp ? (rest[0] as string) : first;
    const entry = commands.find((c) => c.name === name);
    if (entry === undefined) {
      if (name.startsWith('-')) throw await usageError(`unknown option ${name}`, 'run "matryoshka --help"');
      const guess = closestMatch(
        name,
        commands.map((c) => c.name),
      );
      throw await usageError(
        `unknown command "${name}"`,
        guess ? `did you mean "matryoshka ${guess}"?` : 'run "matryoshka --help" for the list of commands',
      );
    }
    const command = (await entry.load()).default;
    const args = wantsHelp ? [] : rest;
    if (wantsHelp || asksForHelp(args)) {
      io.stdout.write(commandHelp(command, helpWidth(io)));
      return ExitCode.ok;
    }
    const { parseArgv } = await import('./args.js');
    const parsed = parseArgv(args, command.options, `run "matryoshka ${command.name} --help"`);
    return await command.run({ values: parsed.values, positionals: parsed.positionals, io });
  } catch (error) {
    const { reportError } = await import('./report-error.js');
    return reportError(error, io, json);
  }
}
