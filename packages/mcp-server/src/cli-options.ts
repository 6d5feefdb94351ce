import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MatryoshkaError } from '@matryoshka/core';
import { MCP_CLIENTS, type McpClient } from './client-config.js';
import { DEFAULT_CONFIG, DEFAULT_MAX_SESSIONS, type ServerConfig } from './config.js';
import { LOG_LEVELS, type LogLevel } from './log.js';

export interface CliOptions {
  help: boolean;
  version: boolean;
  /** Print this client's config file (starting this server with the other flags given) and exit. */
  printConfig?: { client: McpClient; serverArgs: string[] };
  engine: { modelsDir?: string; defaultModel?: string; threads?: number };
  server: ServerConfig;
  http?: {
    host: string;
    port: number;
    allowedHosts: string[];
    allowedOrigins: string[];
    token?: string;
    maxSessions: number;
  };
  logLevel: LogLevel;
  /** Flags still accepted but without effect, to be named in a warning. */
  ignored: string[];
}

export const DEFAULT_PORT = 3917;

export const USAGE = `matryoshka-mcp — MCP server for local Matryoshka Diffusion image and clip generation

Usage: matryoshka-mcp [options]

Models
  --models-dir <dir>        folder of model bundles            env MATRYOSHKA_MODELS
  --model <id>              default model                      env MATRYOSHKA_MODEL
  --threads <n>             ONNX Runtime threads               env MATRYOSHKA_THREADS
Files
  --output-dir <dir>        where files are saved              env MATRYOSHKA_OUTPUT_DIR
                            (default: <client's first root>/matryoshka-output, else ./matryoshka-output)
  --allow-dir <dir>         a folder tools may read and write besides the client's roots
                            (repeatable; without roots: the working directory)  env MATRYOSHKA_MCP_ALLOW_DIRS (a,b)
  --thumbnail-size <px>     inline preview size, 0 = none      env MATRYOSHKA_MCP_THUMBNAIL_SIZE (${DEFAULT_CONFIG.thumbnailSize})
  --thumbnail-format <f>    png | webp                         env MATRYOSHKA_MCP_THUMBNAIL_FORMAT (${DEFAULT_CONFIG.thumbnailFormat})
  --no-inline-images        send no image content at all (same as --thumbnail-size 0)
  --max-inline-bytes <n>    inline image budget per result     env MATRYOSHKA_MCP_MAX_INLINE_BYTES (${DEFAULT_CONFIG.maxInlineBytes})
Limits (the engine runs one generation at a time)
  --max-queue <n>           generations allowed to wait        env MATRYOSHKA_MCP_MAX_QUEUE (${DEFAULT_CONFIG.maxQueue})
  --max-queue-per-session <n>  calls one client may have running or waiting  env MATRYOSHKA_MCP_MAX_QUEUE_PER_SESSION (${DEFAULT_CONFIG.maxQueuePerSession})
  --max-work <n>            pixel-steps one call may ask for (steps x count x frames x width x height)
                                                               env MATRYOSHKA_MCP_MAX_WORK (${DEFAULT_CONFIG.maxWork})
Transport (default: stdio)
  --http                    serve Streamable HTTP at /mcp instead
  --host <addr>             address to bind                    env MATRYOSHKA_MCP_HOST (127.0.0.1)
  --port <n>                port, 0 = any free one             env MATRYOSHKA_MCP_PORT (${DEFAULT_PORT})
  --allowed-hosts <a,b>     extra Host names to accept         env MATRYOSHKA_MCP_ALLOWED_HOSTS
  --allowed-origins <a,b>   browser origins to accept          env MATRYOSHKA_MCP_ALLOWED_ORIGINS
  --token <secret>          require "Authorization: Bearer <secret>"  env MATRYOSHKA_MCP_TOKEN
                            (required for any --host other than loopback)
  --max-sessions <n>        client sessions kept open          env MATRYOSHKA_MCP_MAX_SESSIONS (${DEFAULT_MAX_SESSIONS})
Other
  --print-config <client>   print a config file for ${MCP_CLIENTS.join(' | ')} that starts this
                            server (absolute paths, the other flags given here included), then exit
  --log-level <level>       ${LOG_LEVELS.join(' | ')} (logs go to stderr)   env MATRYOSHKA_MCP_LOG_LEVEL (info)
  -h, --help                this text
  -v, --version             the version
`;

/** Flags win over environment variables, which win over defaults. Bad values are INVALID_REQUEST. */
export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'models-dir': { type: 'string' },
        model: { type: 'string' },
        threads: { type: 'string' },
        'output-dir': { type: 'string' },
        'allow-dir': { type: 'string', multiple: true },
        'thumbnail-size': { type: 'string' },
        'thumbnail-format': { type: 'string' },
        'no-inline-images': { type: 'boolean' },
        'max-inline-bytes': { type: 'string' },
        concurrency: { type: 'string' },
        'max-queue': { type: 'string' },
        'max-queue-per-session': { type: 'string' },
        'max-work': { type: 'string' },
        http: { type: 'boolean' },
        host: { type: 'string' },
        port: { type: 'string' },
        'allowed-hosts': { type: 'string' },
        'allowed-origins': { type: 'string' },
        token: { type: 'string' },
        'max-sessions': { type: 'string' },
        'log-level': { type: 'string' },
        'print-config': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    }));
  } catch (error) {
    throw new MatryoshkaError(
      'INVALID_REQUEST',
      `${(error as Error).message}\nRun matryoshka-mcp --help for the options.`,
    );
  }
  const pick = (flag: string, variable: string): string | undefined => {
    const value = values[flag];
    return typeof value === 'string' ? value : nonEmpty(env[variable]);
  };
  const int = (flag: string, variable: string, min: number, max: number, fallback: number): number => {
    const raw = pick(flag, variable);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new MatryoshkaError(
        'INVALID_REQUEST',
        `--${flag}: must be an integer from ${min} to ${max} (got "${raw}")`,
      );
    }
    return n;
  };
  const oneOf = <T extends string>(flag: string, variable: string, allowed: readonly T[], fallback: T): T => {
    const raw = pick(flag, variable);
    if (raw === undefined) return fallback;
    if (!allowed.includes(raw as T)) {
      throw new MatryoshkaError(
        'INVALID_REQUEST',
        `--${flag}: must be one of ${allowed.join(', ')} (got "${raw}")`,
      );
    }
    return raw as T;
  };
  const list = (flag: string, variable: string) =>
    (pick(flag, variable) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);

  const inlineOff = values['no-inline-images'] === true || env.MATRYOSHKA_MCP_INLINE_IMAGES === '0';
  const threads = pick('threads', 'MATRYOSHKA_THREADS');
  const modelsDir = pick('models-dir', 'MATRYOSHKA_MODELS');
  const defaultModel = pick('model', 'MATRYOSHKA_MODEL');
  const outputDir = pick('output-dir', 'MATRYOSHKA_OUTPUT_DIR');
  const token = pick('token', 'MATRYOSHKA_MCP_TOKEN');
  const server: ServerConfig = {
    thumbnailSize: inlineOff
      ? 0
      : int('thumbnail-size', 'MATRYOSHKA_MCP_THUMBNAIL_SIZE', 0, 4096, DEFAULT_CONFIG.thumbnailSize),
    thumbnailFormat: oneOf(
      'thumbnail-format',
      'MATRYOSHKA_MCP_THUMBNAIL_FORMAT',
      ['png', 'webp'],
      DEFAULT_CONFIG.thumbnailFormat,
    ),
    maxInlineBytes: int(
      'max-inline-bytes',
      'MATRYOSHKA_MCP_MAX_INLINE_BYTES',
      0,
      64 * 1024 * 1024,
      DEFAULT_CONFIG.maxInlineBytes,
    ),
    maxQueue: int('max-queue', 'MATRYOSHKA_MCP_MAX_QUEUE', 0, 10_000, DEFAULT_CONFIG.maxQueue),
    maxQueuePerSession: int(
      'max-queue-per-session',
      'MATRYOSHKA_MCP_MAX_QUEUE_PER_SESSION',
      1,
      10_000,
      DEFAULT_CONFIG.maxQueuePerSession,
    ),
    maxWork: int('max-work', 'MATRYOSHKA_MCP_MAX_WORK', 1, Number.MAX_SAFE_INTEGER, DEFAULT_CONFIG.maxWork),
    allowDirs: [
      ...((values['allow-dir'] as string[] | undefined) ?? []),
      ...list('allow-dirs', 'MATRYOSHKA_MCP_ALLOW_DIRS'),
    ],
    ...(outputDir ? { outputDir } : {}),
  };
  const printFor = values['print-config'];
  if (typeof printFor === 'string' && !(MCP_CLIENTS as string[]).includes(printFor)) {
    throw new MatryoshkaError(
      'INVALID_REQUEST',
      `--print-config: must be one of ${MCP_CLIENTS.join(', ')} (got "${printFor}")`,
    );
  }
  const options: CliOptions = {
    help: values.help === true,
    version: values.version === true,
    engine: {
      ...(modelsDir ? { modelsDir } : {}),
      ...(defaultModel ? { defaultModel } : {}),
      ...(threads ? { threads: int('threads', 'MATRYOSHKA_THREADS', 1, 256, 1) } : {}),
    },
    server,
    ...(typeof printFor === 'string'
      ? { printConfig: { client: printFor as McpClient, serverArgs: withoutPrintConfig(argv) } }
      : {}),
    logLevel: oneOf('log-level', 'MATRYOSHKA_MCP_LOG_LEVEL', LOG_LEVELS, 'info'),
    // --concurrency once set how many generations ran at once; the engine now runs one at a time.
    ignored: pick('concurrency', 'MATRYOSHKA_MCP_CONCURRENCY') === undefined ? [] : ['--concurrency'],
  };
  if (values.http === true || env.MATRYOSHKA_MCP_TRANSPORT === 'http') {
    options.http = {
      host: pick('host', 'MATRYOSHKA_MCP_HOST') ?? '127.0.0.1',
      port: int('port', 'MATRYOSHKA_MCP_PORT', 0, 65_535, DEFAULT_PORT),
      allowedHosts: list('allowed-hosts', 'MATRYOSHKA_MCP_ALLOWED_HOSTS'),
      allowedOrigins: list('allowed-origins', 'MATRYOSHKA_MCP_ALLOWED_ORIGINS'),
      maxSessions: int('max-sessions', 'MATRYOSHKA_MCP_MAX_SESSIONS', 1, 10_000, DEFAULT_MAX_SESSIONS),
      ...(token ? { token } : {}),
    };
    if (!isLoopback(options.http.host) && !token) {
      throw new MatryoshkaError(
        'INVALID_REQUEST',
        `--host ${options.http.host} is reachable from other machines, so a bearer token is required: add --token <secret> (or set MATRYOSHKA_MCP_TOKEN), or bind --host 127.0.0.1`,
      );
    }
  }
  return options;
}

/** Addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

const PATH_FLAGS = new Set(['--output-dir', '--allow-dir', '--models-dir']);

/**
 * The command line minus --print-config and its value, folder flags made absolute: a client starts
 * the server in a folder of its own choosing (Claude Desktop: /).
 */
function withoutPrintConfig(argv: readonly string[], cwd = process.cwd()): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === '--print-config') {
      if (eq < 0) i++;
    } else if (PATH_FLAGS.has(flag) && eq > 0) {
      out.push(`${flag}=${resolve(cwd, arg.slice(eq + 1))}`);
    } else if (PATH_FLAGS.has(flag) && i + 1 < argv.length) {
      out.push(flag, resolve(cwd, argv[++i] as string));
    } else {
      out.push(arg);
    }
  }
  return out;
}
