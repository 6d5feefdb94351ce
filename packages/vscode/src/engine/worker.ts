// The engine process: runs @matryoshka/core away from the extension host, so denoising never blocks
// the editor and a crash in native code (ONNX Runtime, libvips) cannot take VS Code down with it.
import { createEngine, type GenerateResult, MatryoshkaError } from '@matryoshka/core';
import { illustrateDeck } from '@matryoshka/slides';
import {
  type HostMessage,
  type SerializedError,
  WORKER_OPTIONS_ENV,
  type WorkerMessage,
} from './protocol.js';

const options = JSON.parse(process.env[WORKER_OPTIONS_ENV] ?? '{}');
const engine = createEngine(options);
const running = new Map<number, AbortController>();

function send(message: WorkerMessage): void {
  process.send?.(message);
}

function serialize(error: unknown): SerializedError {
  if (MatryoshkaError.isInstance(error)) return error.toJSON();
  return { code: 'RUNTIME_ERROR', message: error instanceof Error ? error.message : String(error) };
}

async function generate(id: number, request: HostMessage & { type: 'generate' }): Promise<void> {
  const controller = new AbortController();
  running.set(id, controller);
  try {
    const result: GenerateResult = await engine.generate(request.request, {
      signal: controller.signal,
      onProgress: (progress) => send({ type: 'progress', id, progress }),
    });
    send({ type: 'result', id, value: result });
  } catch (error) {
    send({ type: 'error', id, error: serialize(error) });
  } finally {
    running.delete(id);
  }
}

async function deck(message: HostMessage & { type: 'illustrateDeck' }): Promise<void> {
  const { id } = message;
  const controller = new AbortController();
  running.set(id, controller);
  try {
    const report = await illustrateDeck(message.input, {
      ...message.options,
      engine,
      signal: controller.signal,
      onProgress: (progress) => send({ type: 'deckProgress', id, progress }),
    });
    send({ type: 'result', id, value: report });
  } catch (error) {
    send({ type: 'error', id, error: serialize(error) });
  } finally {
    running.delete(id);
  }
}

process.on('message', (message: HostMessage) => {
  switch (message.type) {
    case 'generate':
      void generate(message.id, message);
      break;
    case 'illustrateDeck':
      void deck(message);
      break;
    case 'listModels':
      engine.listModels().then(
        (value) => send({ type: 'result', id: message.id, value }),
        (error: unknown) => send({ type: 'error', id: message.id, error: serialize(error) }),
      );
      break;
    case 'resolveModel':
      engine.resolveModel({ kind: message.kind }).then(
        (value) => send({ type: 'result', id: message.id, value }),
        (error: unknown) => send({ type: 'error', id: message.id, error: serialize(error) }),
      );
      break;
    case 'abort':
      running.get(message.id)?.abort();
      break;
  }
});

// The extension host went away (window closed, extension reloaded): release the models and leave.
process.on('disconnect', () => {
  for (const controller of running.values()) controller.abort();
  void engine.close().finally(() => process.exit(0));
});
