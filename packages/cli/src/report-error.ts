import { MatryoshkaError } from '@matryoshka/core/lite';
import { ExitCode } from './exit-codes.js';
import { type CliIo, paint } from './io.js';
import { hintOf } from './usage-error.js';

// Request fields whose flag has another name, so the message names what the user actually typed.
const FLAG_FOR_FIELD: Record<string, string> = { negativePrompt: 'negative' };

const HINTS: Partial<Record<MatryoshkaError['code'], string>> = {
  MODEL_NOT_FOUND:
    'models are read from --models-dir, else $MATRYOSHKA_MODELS, else the nearest models/ folder; "matryoshka models" lists them',
  MODEL_CORRUPT: 'the bundle on disk does not match its manifest; copy or export it again',
  BUSY: 'the engine is busy with another generation; try again when it finishes',
};

function renameField(line: string): string {
  const field = /^([A-Za-z]+):/.exec(line)?.[1];
  const flag = field === undefined ? undefined : FLAG_FOR_FIELD[field];
  return flag === undefined ? line : `${flag}${line.slice(field?.length)}`;
}

/**
 * The CLI's one translation point from errors to what a user sees: user mistakes get one clear line
 * per problem and exit 2; engine failures a line and exit 1; only a bug shows a stack trace.
 */
export function reportError(error: unknown, io: CliIo, json: boolean): ExitCode {
  const label = paint(io, 31, 'error:');
  if (MatryoshkaError.isInstance(error)) {
    const exit =
      error.code === 'INVALID_REQUEST'
        ? ExitCode.usage
        : error.code === 'ABORTED'
          ? ExitCode.interrupted
          : ExitCode.failure;
    const lines = error.message.split('\n').map(renameField);
    if (json) {
      io.stdout.write(
        `${JSON.stringify({ ok: false, error: { ...error.toJSON(), message: lines.join('\n') } }, null, 2)}\n`,
      );
    }
    if (error.code === 'ABORTED') {
      io.stderr.write('aborted\n');
      return exit;
    }
    for (const line of lines) io.stderr.write(`${label} ${line}\n`);
    const hint = hintOf(error) ?? HINTS[error.code];
    if (hint) io.stderr.write(`${paint(io, 2, `hint: ${hint}`)}\n`);
    return exit;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  if (json) {
    io.stdout.write(
      `${JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: String(error) } }, null, 2)}\n`,
    );
  }
  io.stderr.write(`${label} unexpected failure — this is a bug in matryoshka, please report it:\n${stack}\n`);
  return ExitCode.failure;
}
