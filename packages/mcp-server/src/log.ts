export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

/**
 * Logs go to stderr only: on the stdio transport stdout carries JSON-RPC, and a single stray line
 * there breaks the client's parser.
 */
export function createStderrLogger(level: LogLevel = 'info'): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const write = (at: LogLevel) => (message: string) => {
    if (LOG_LEVELS.indexOf(at) <= threshold) process.stderr.write(`[matryoshka-mcp] ${at}: ${message}\n`);
  };
  return { error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug') };
}

export const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {} };
