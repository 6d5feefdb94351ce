import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { commands } from './commands/index.js';
import { runInProcess } from './run-in-process.test-support.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'matryoshka-cli-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const run = (...argv: string[]) => runInProcess(argv, { cwd });

describe('matryoshka (top level)', () => {
  it('prints the package version', async () => {
    for (const flag of ['--version', '-v', 'version']) {
      const result = await run(flag);
      expect(result).toMatchObject({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
    }
  });

  it('lists every registered command in --help', async () => {
    const result = await run('--help');
    expect(result.code).toBe(0);
    for (const command of commands)
      expect(result.stdout).toMatch(new RegExp(`^  ${command.name}\\s+${command.summary}`, 'm'));
    expect(result.stdout).toContain('matryoshka generate "a red apple" -o apple.png');
  });

  it('shows help on stderr and exits 2 without a command', async () => {
    const result = await run();
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage: matryoshka <command>');
  });

  it('suggests the command a typo meant', async () => {
    const result = await run('genrate', 'x');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: unknown command "genrate"\nhint: did you mean "matryoshka generate"?\n',
    );
  });

  it('rejects an unknown top-level option', async () => {
    const result = await run('--verbose');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: unknown option --verbose');
  });
});

describe('per-command help', () => {
  for (const entry of commands) {
    it(`${entry.name} --help documents every option and example`, async () => {
      const command = (await entry.load()).default;
      const result = await run(entry.name, '--help');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: matryoshka ${entry.name}`));
      for (const [name, spec] of Object.entries(command.options)) {
        expect(result.stdout).toContain(`--${name}`);
        expect(spec.description.length).toBeGreaterThan(10);
      }
      for (const example of command.examples) expect(result.stdout).toContain(example.command);
      expect((await run('help', entry.name)).stdout).toBe(result.stdout);
    });
  }

  it('wins over other mistakes on the line', async () => {
    const result = await run('generate', '--stpes', '3', '-h');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: matryoshka generate <prompt> [options]');
  });

  it('keeps help lines within the terminal width', async () => {
    const result = await runInProcess(['generate', '--help'], { cwd, columns: 72 });
    // stdout columns are not known in-process, so the 100-column default applies.
    for (const line of result.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe('generate: usage errors never load a model', () => {
  it('prints ONE line naming the field for --steps -3 and exits 2', async () => {
    const result = await run('generate', 'x', '--steps', '-3');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: steps: must be [^\n]+\(got -3\)\n$/);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('names every bad field, one line each, with flag names', async () => {
    const result = await run(
      'generate',
      'x',
      '--steps',
      '0',
      '--guidance',
      '-1',
      '--negative',
      'n'.repeat(3000),
    );
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.split(':')[1]?.trim()).sort()).toEqual(['guidance', 'negative', 'steps']);
    for (const line of lines) expect(line.length).toBeLessThan(160);
  });

  it('answers --json mistakes with a JSON error object on stdout', async () => {
    const result = await run('generate', 'x', '--count', '99', '--json');
    expect(result.code).toBe(2);
    const body = JSON.parse(result.stdout);
    expect(body).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(body.error.message).toMatch(/^count: /);
  });

  it('hints at the right flag for a typo', async () => {
    const result = await run('generate', 'x', '--sed', '4');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: unknown option --sed\nhint: did you mean --seed? (run "matryoshka generate --help")\n',
    );
  });

  it('requires a prompt and refuses conflicting flags', async () => {
    expect((await run('generate', '-o', 'a.png')).stderr).toContain('error: missing the prompt');
    expect((await run('generate', 'x', '--size', '64', '--width', '32')).stderr).toContain(
      '--size cannot be combined',
    );
    expect((await run('generate', 'x', '-o', 'a.png', '--format', 'webp')).stderr).toContain(
      'does not match',
    );
    expect((await run('generate', 'x', '-o', '-', '--json')).code).toBe(2);
  });
});
