import { describe, expect, it } from 'vitest';
import { settingsProblems } from './check-settings.js';
import { DEFAULT_SETTINGS } from './settings.js';

const context = { documentPath: '/work/notes/talk.md', workspaceFolder: '/work' };

describe('settingsProblems', () => {
  it('finds nothing wrong with the defaults', () => {
    expect(settingsProblems(DEFAULT_SETTINGS, context)).toEqual([]);
  });

  it('names every bad setting instead of falling back to a default', () => {
    const problems = settingsProblems(
      {
        ...DEFAULT_SETTINGS,
        steps: -3,
        sampler: 'euler',
        size: 5000,
        guidance: 99,
        threads: 1.5,
        model: '../etc',
        outputFolder: '${nope}/images',
      },
      context,
    );
    expect(problems.map((p) => p.setting)).toEqual([
      'model',
      'size',
      'steps',
      'guidance',
      'sampler',
      'threads',
      'outputFolder',
    ]);
    expect(problems.find((p) => p.setting === 'steps')?.message).toMatch(/-3 is not a step count/);
    expect(problems.find((p) => p.setting === 'outputFolder')?.message).toMatch(
      /Unknown variable \$\{nope\}/,
    );
  });
});
