import { homedir } from 'node:os';
import { join } from 'node:path';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { describe, expect, it } from 'vitest';
import { silentLogger } from './log.js';
import { OutputFolder } from './output-folder.js';

// A server no client is connected to: it knows of no roots, as with clients that offer none.
const server = () => new Server({ name: 't', version: '1' }, { capabilities: {} });

describe('OutputFolder without client roots', () => {
  it('uses the configured folder, relative to the working directory', async () => {
    const folder = new OutputFolder(server(), 'pictures', silentLogger, { cwd: '/work/project' });
    expect((await folder.store()).dir).toBe('/work/project/pictures');
  });

  it('falls back to ./matryoshka-output', async () => {
    const folder = new OutputFolder(server(), undefined, silentLogger, { cwd: '/work/project' });
    expect((await folder.store()).dir).toBe('/work/project/matryoshka-output');
  });

  it('uses the home folder when started in the file system root, as desktop apps do', async () => {
    const folder = new OutputFolder(server(), undefined, silentLogger, { cwd: '/' });
    expect((await folder.store()).dir).toBe(join(homedir(), 'matryoshka-output'));
  });
});
