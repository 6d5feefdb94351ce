import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatTable } from './format.js';

describe('format', () => {
  it('formats durations', () => {
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
  });

  it('formats sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MiB');
  });

  it('aligns table columns', () => {
    const table = formatTable(
      ['ID', 'SIZE'],
      [
        ['emoji-64', '25 MiB'],
        ['t', '1 KiB'],
      ],
    );
    expect(table).toBe('ID        SIZE\nemoji-64  25 MiB\nt         1 KiB\n');
  });
});
