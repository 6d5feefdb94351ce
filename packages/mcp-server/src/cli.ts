import { createEngine, MatryoshkaError } from '@matryoshka/core';
import { parseCliOptions, USAGE } from './cli-options.js';
import { startHttpServer } from './http/http-server.js';
import { createStderrLogger } from './log.js';
import { createRuntime } from './runtime.js';
import { serveStdio } from './stdio.js';
import { VERSION } from './version.js';

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
    process.stderr.write(USAGE);
    return;
  }
  if (options.version) {
    process.stderr.write(`${VERSION}\n`);
    return;
  }
  const log = createStderrLogger(options.logLevel);
  const engine = createEngine(options.engine);
  const runtime = createRuntime(engine, options.server, log);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await engine.close().catch(() => {});
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  if (options.http) {
    const { host, port, allowedHosts, allowedOrigins, token } = options.http;
    const loopback = host === '127.0.0.1' || host === 'localhost' || host === '::1';
    if (!loopback && !token)
      log.warn(`listening on ${host} without --token: anyone who can reach it can generate`);
    const running = await startHttpServer(runtime, {
      host,
      port,
      allowedHosts,
      allowedOrigins,
      ...(token ? { token } : {}),
    });
    log.info(`Streamable HTTP at ${running.url}${token ? ' (bearer token required)' : ''}`);
    return;
  }
  log.info(`ready on stdio (models: ${options.engine.modelsDir ?? 'default folder'})`);
  await serveStdio(runtime);
  await stop(0);
}
