import { describe, expect, it } from 'vitest';
import { describeEngineState } from './engine-state.js';

describe('describeEngineState', () => {
  it('shows progress as a rounded percent while drawing', () => {
    const s = describeEngineState({ kind: 'working', prompt: 'a red heart', percent: 37.6 });
    expect(s.text).toBe('$(loading~spin) Matryoshka 38%');
    expect(s.tooltip).toContain('a red heart');
  });

  it('says why the last run failed, and is quiet when ready', () => {
    expect(describeEngineState({ kind: 'failed', message: 'no model' }).tooltip).toContain('no model');
    expect(describeEngineState({ kind: 'ready' }).text).not.toMatch(/%|spin/);
  });
});
