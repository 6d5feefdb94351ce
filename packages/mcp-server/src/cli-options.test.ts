import { resolve } from 'node:path';
import { MatryoshkaError } from '@matryoshka/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, parseCliOptions } from './cli-options.js';
import { DEFAULT_CONFIG } from './config.js';

describe('parseCliOptions', () => {
  it('defaults to stdio with the default configuration', () => {
    const options = parseCliOptions([], {});
    expect(options.http).toBeUndefined();
    expect(options.server).toEqual(DEFAULT_CONFIG);
    expect(options.engine).toEqual({});
    expect(options.logLevel).toBe('info');
  });

  it('reads the environment, and flags win over it', () => {
    const env = {
      MATRYOSHKA_MODELS: '/env/models',
      MATRYOSHKA_MODEL: 'env-model',
      MATRYOSHKA_OUTPUT_DIR: '/env/out',
      MATRYOSHKA_MCP_TOKEN: 'env-token',
      MATRYOSHKA_MCP_MAX_QUEUE: '3',
    };
    const options = parseCliOptions(
      ['--http', '--model', 'flag-model', '--port', '0', '--allowed-hosts', 'a.local, b.local'],
      env,
    );
    expect(options.engine).toEqual({ modelsDir: '/env/models', defaultModel: 'flag-model' });
    expect(options.server.outputDir).toBe('/env/out');
    expect(options.server.maxQueue).toBe(3);
    expect(options.http).toEqual({
      host: '127.0.0.1',
      port: 0,
      allowedHosts: ['a.local', 'b.local'],
      allowedOrigins: [],
      token: 'env-token',
      maxSessions: 64,
    });
  });

  it('turns inline images off either way', () => {
    expect(parseCliOptions(['--no-inline-images'], {}).server.thumbnailSize).toBe(0);
    expect(parseCliOptions([], { MATRYOSHKA_MCP_INLINE_IMAGES: '0' }).server.thumbnailSize).toBe(0);
    expect(
      parseCliOptions(['--thumbnail-size', '128', '--thumbnail-format', 'webp'], {}).server,
    ).toMatchObject({
      thumbnailSize: 128,
      thumbnailFormat: 'webp',
    });
  });

  it('--print-config keeps the other flags for the client to pass, folders made absolute', () => {
    const options = parseCliOptions(
      ['--output-dir', 'pics', '--print-config', 'vscode', '--threads', '2', '--allow-dir=../shared'],
      {},
    );
    expect(options.printConfig).toEqual({
      client: 'vscode',
      serverArgs: ['--output-dir', resolve('pics'), '--threads', '2', `--allow-dir=${resolve('../shared')}`],
    });
    expect(parseCliOptions(['--print-config=cursor'], {}).printConfig).toEqual({
      client: 'cursor',
      serverArgs: [],
    });
    expect(() => parseCliOptions(['--print-config', 'emacs'], {})).toThrow(
      /--print-config: must be one of claude-desktop, claude-code, vscode, cursor/,
    );
  });

  it('uses the default port for --http', () => {
    expect(parseCliOptions(['--http'], {}).http?.port).toBe(DEFAULT_PORT);
  });

  it.each([
    [['--max-queue-per-session', '0']],
    [['--port', '70000', '--http']],
    [['--thumbnail-format', 'gif']],
    [['--threads', 'many']],
    [['--unknown']],
    [['stray']],
  ])('refuses %j with INVALID_REQUEST', (argv) => {
    expect(() => parseCliOptions(argv, {})).toThrow(
      expect.toSatisfy((e: unknown) => MatryoshkaError.isInstance(e) && e.code === 'INVALID_REQUEST'),
    );
  });
});
