import { removePendingTempFilesSync } from '@matryoshka/core/lite';
import { runCli } from './cli.js';
import { ExitCode } from './exit-codes.js';

// The first Ctrl-C aborts the generation, which stops within one denoising step and cleans up; a
// second one means "now", so it exits at once after removing any temp files.
const controller = new AbortController();
let interrupts = 0;
const onSignal = (): void => {
  interrupts++;
  if (interrupts === 1) {
    if (process.stderr.isTTY) process.stderr.write('\nstopping… (press Ctrl-C again to quit at once)\n');
    controller.abort();
    return;
  }
  removePendingTempFilesSync();
  process.exit(ExitCode.interrupted);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// A closed pipe (`matryoshka models | head -1`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(ExitCode.ok);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
