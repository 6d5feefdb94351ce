import { createEngine, MatryoshkaError } from '@matryoshka/core';
import { parseCliOptions, USAGE } from './cli-options.js';
import { CLIENT_CONFIG_FILES, clientConfig } from './client-config.js';
import { startHttpServer } from './http/http-server.js';
import { createStderrLogger, type Logger } from './log.js';
import { createRuntime, type Runtime } from './runtime.js';
import { serveStdio } from './stdio.js';
import { VERSION } from './version.js';

const SHUTDOWN_GRACE_MS = 5_000;

/** The `matryoshka-mcp` command. Exits on its own; the returned promise rejects only on bugs. */
export async function main(argv: string[]): Promise<void> {
  let options: ReturnType<typeof parseCliOptions>;
  try {
    options = parseCliOptions(argv);
  } catch (error) {
    if (!MatryoshkaError.isInstance(error)) throw error;
    process.stderr.write(`matryoshka-mcp: ${error.message}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (options.version) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  if (options.printConfig) {
    const { client, serverArgs } = options.printConfig;
    process.stdout.write(`${JSON.stringify(clientConfig(client, serverArgs), null, 2)}\n`);
    process.stderr.write(
      `matryoshka-mcp: save this as ${CLIENT_CONFIG_FILES[client]} (or merge its matryoshka entry)\n`,
    );
    return;
  }
  const log = createStderrLogger(options.logLevel);
  for (const flag of options.ignored)
    log.warn(`${flag} is ignored: the engine runs one generation at a time (see --max-queue)`);
  const engine = createEngine(options.engine);
  const runtime = createRuntime(engine, options.server, log);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    runtime.shutdown.abort();
    // Running jobs stop within a denoising step; the timer only guards against a stuck native call.
    const deadline = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
    await Promise.race([engine.close().catch(() => {}), deadline]);
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  // A stray rejection (a client gone mid-notification, say) must not take down a server others use.
  process.on('unhandledRejection', (reason) => {
    log.error(
      `unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
    );
  });
  void describeModels(runtime, log);

  if (options.http) {
    const { host, port, allowedHosts, allowedOrigins, token, maxSessions } = options.http;
    let running: Awaited<ReturnType<typeof startHttpServer>>;
    try {
      running = await startHttpServer(runtime, {
        host,
        port,
        allowedHosts,
        allowedOrigins,
        maxSessions,
        ...(token ? { token } : {}),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'EADDRINUSE'
          ? `port ${port} is already in use; choose another with --port (0 picks a free one)`
          : code === 'EADDRNOTAVAIL'
            ? `${host} is not an address of this machine`
            : (error as Error).message;
      log.error(`cannot listen on ${host}:${port}: ${why}`);
      return stop(1);
    }
    const also = running.urls.filter((u) => u !== running.url);
    log.info(
      `Streamable HTTP at ${running.url}${also.length ? ` (also ${also.join(', ')})` : ''}${token ? ' (bearer token required)' : ''}`,
    );
    return;
  }
  log.info(`ready on stdio (models: ${options.engine.modelsDir ?? 'default folder'})`);
  await serveStdio(runtime);
  await stop(0);
}

/** One line at start-up naming the models, so a client's server log shows what is installed. */
async function describeModels(runtime: Runtime, log: Logger): Promise<void> {
  try {
    const models = await runtime.engine.listModels();
    const names = models.map((m) => `${m.id}${m.fixture ? ' (test fixture)' : ''}`);
    if (names.length === 0)
      log.warn('no models found: generation will fail until a bundle is installed (see --models-dir)');
    else log.info(`models: ${names.join(', ')}`);
  } catch (error) {
    log.warn(`could not list models: ${(error as Error).message}`);
  }
}
