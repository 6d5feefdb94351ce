import { describe, expect, it } from 'vitest';
import { GenerationHistory, type KeyValueStore } from './history.js';

function memoryStore(): KeyValueStore {
  const data = new Map<string, unknown>();
  return {
    get: <T>(key: string) => structuredClone(data.get(key)) as T | undefined,
    update: async (key, value) => {
      data.set(key, structuredClone(value));
    },
  };
}

const entry = (path: string, createdAt: number) => ({ path, record: { prompt: path }, createdAt });

describe('GenerationHistory', () => {
  it('keeps the newest first and moves a re-added path to the front', async () => {
    const history = new GenerationHistory(memoryStore());
    await history.add([entry('/a.png', 1)]);
    await history.add([entry('/b.png', 2)]);
    await history.add([entry('/a.png', 3)]);
    expect(history.entries().map((e) => e.path)).toEqual(['/a.png', '/b.png']);
    expect(history.latest()?.createdAt).toBe(3);
  });

  it('forgets deleted files and is bounded', async () => {
    const history = new GenerationHistory(memoryStore());
    await history.add(Array.from({ length: 80 }, (_, i) => entry(`/${i}.png`, i)));
    expect(history.entries()).toHaveLength(50);
    await history.forget('/0.png');
    expect(history.entries().some((e) => e.path === '/0.png')).toBe(false);
    expect(history.latest()?.path).toBe('/1.png');
  });
});
