import { type ChildProcess, fork } from 'node:child_process';
import type { GenerateRequest, GenerateResult, ModelInfo, Progress } from '@matryoshka/core';
import type { DeckProgress, DeckReport } from '@matryoshka/slides';
import { EngineClientError } from './engine-client-error.js';
import {
  type DeckOptions,
  type HostMessage,
  type SerializedError,
  WORKER_OPTIONS_ENV,
  type WorkerEngineOptions,
  type WorkerMessage,
} from './protocol.js';

export interface EngineClientOptions {
  /** The worker script (dist/worker.mjs in the extension; worker.ts under tsx in tests). */
  workerPath: string;
  engine: WorkerEngineOptions;
  /** Extra Node flags for the worker, e.g. `['--import', 'tsx']`. */
  execArgv?: string[];
  /** The worker exits after this long without work, releasing the model's memory. Default 5 min. */
  idleMs?: number;
  /** How long a cancelled generation may take to stop before the worker is killed. Default 3 s. */
  abortGraceMs?: number;
  /** Receives the worker's stderr, for an output channel. */
  log?: (line: string) => void;
}

export interface GenerateCallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: EngineClientError) => void;
  onProgress?: (progress: Progress) => void;
  onDeckProgress?: (progress: DeckProgress) => void;
}

/**
 * Runs the engine in a child process and speaks to it over IPC. The process starts on first use,
 * stays warm between generations (the model stays loaded) and exits when idle or disposed.
 */
export class EngineClient {
  private child: ChildProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private stderrTail = '';
  private retiring = false;

  constructor(private readonly options: EngineClientOptions) {}

  generate(request: GenerateRequest, call: GenerateCallOptions = {}): Promise<GenerateResult> {
    const id = this.nextId++;
    return this.cancellable(id, call.signal, () =>
      this.request<GenerateResult>({ type: 'generate', id, request }, { onProgress: call.onProgress }),
    );
  }

  /** Runs the slide filler (@matryoshka/slides) in the engine process on the deck at `input`. */
  illustrateDeck(
    input: string,
    options: DeckOptions,
    call: { signal?: AbortSignal; onProgress?: (progress: DeckProgress) => void } = {},
  ): Promise<DeckReport> {
    const id = this.nextId++;
    return this.cancellable(id, call.signal, () =>
      this.request<DeckReport>(
        { type: 'illustrateDeck', id, input, options },
        { onDeckProgress: call.onProgress },
      ),
    );
  }

  private cancellable<T>(id: number, signal: AbortSignal | undefined, start: () => Promise<T>): Promise<T> {
    if (signal?.aborted) return Promise.reject(aborted());
    const promise = start();
    if (!signal) return promise;

    const onAbort = () => {
      if (!this.pending.has(id)) return;
      this.child?.send({ type: 'abort', id } satisfies HostMessage);
      // The engine checks its signal between steps; a step stuck in native code gets the process killed.
      const grace = setTimeout(() => {
        if (this.pending.has(id)) this.kill(aborted());
      }, this.options.abortGraceMs ?? 3000);
      grace.unref();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    return promise.finally(() => signal.removeEventListener('abort', onAbort));
  }

  listModels(): Promise<ModelInfo[]> {
    return this.request<ModelInfo[]>({ type: 'listModels', id: this.nextId++ }, {});
  }

  /** The model core would run for a request of this kind (MODEL_NOT_FOUND when there is none). */
  resolveModel(kind: 'image' | 'clip'): Promise<ModelInfo> {
    return this.request<ModelInfo>({ type: 'resolveModel', id: this.nextId++, kind }, {});
  }

  /** Whether a worker process is running now (it is started lazily and stops when idle). */
  get running(): boolean {
    return this.child !== undefined;
  }

  /** Whether a request is in flight. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Stops the worker once the requests in flight have finished (now, if there are none). */
  retire(): void {
    this.retiring = true;
    if (this.pending.size === 0) this.dispose();
  }

  dispose(): void {
    this.kill(new EngineClientError('ABORTED', 'The Matryoshka engine was shut down.'));
  }

  private request<T>(
    message: HostMessage,
    listeners: Pick<Pending, 'onProgress' | 'onDeckProgress'>,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.set(message.id, { resolve: resolve as (value: unknown) => void, reject, ...listeners });
      this.clearIdle();
      try {
        this.post(message);
      } catch (error) {
        this.pending.delete(message.id);
        reject(
          new EngineClientError('RUNTIME_ERROR', `Could not start the Matryoshka engine: ${describe(error)}`),
        );
      }
    });
  }

  private post(message: HostMessage): void {
    this.ensureChild().send(message);
  }

  private ensureChild(): ChildProcess {
    if (this.child) return this.child;
    this.stderrTail = '';
    const child = fork(this.options.workerPath, [], {
      execArgv: this.options.execArgv ?? [],
      // In desktop VS Code process.execPath is the Electron binary: make it behave as plain Node.
      env: {
        ...process.env,
        ELECTRON_RUN_AS_NODE: '1',
        [WORKER_OPTIONS_ENV]: JSON.stringify(this.options.engine),
      },
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.stdout?.on('data', (chunk: Buffer) => this.options.log?.(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      this.stderrTail = (this.stderrTail + text).slice(-2000);
      this.options.log?.(text);
    });
    child.on('message', (message: WorkerMessage) => this.onMessage(message));
    child.on('error', (error) => this.onExit(child, `could not run: ${error.message}`));
    child.on('exit', (code, signal) =>
      this.onExit(child, signal ? `killed by ${signal}` : `exit code ${code}`),
    );
    this.child = child;
    return child;
  }

  private onMessage(message: WorkerMessage): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'progress') {
      pending.onProgress?.(message.progress);
      return;
    }
    if (message.type === 'deckProgress') {
      pending.onDeckProgress?.(message.progress);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === 'result') pending.resolve(message.value);
    else pending.reject(fromSerialized(message.error));
    if (this.pending.size === 0) {
      if (this.retiring) this.dispose();
      else this.armIdle();
    }
  }

  private onExit(child: ChildProcess, how: string): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.clearIdle();
    const lastLines = this.stderrTail.trim().split('\n').slice(-3).join(' ').trim();
    const error = new EngineClientError(
      'RUNTIME_ERROR',
      `The Matryoshka engine stopped unexpectedly (${how})${lastLines ? `: ${lastLines}` : '.'}`,
    );
    this.rejectAll(error);
  }

  private kill(error: EngineClientError): void {
    const child = this.child;
    this.child = undefined;
    this.clearIdle();
    this.rejectAll(error);
    if (child && child.exitCode === null) child.kill('SIGKILL');
  }

  private rejectAll(error: EngineClientError): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(error);
  }

  private armIdle(): void {
    this.clearIdle();
    this.idleTimer = setTimeout(
      () => {
        if (this.pending.size === 0) this.kill(new EngineClientError('ABORTED', 'idle'));
      },
      this.options.idleMs ?? 5 * 60_000,
    );
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

function aborted(): EngineClientError {
  return new EngineClientError('ABORTED', 'Generation cancelled.');
}

function fromSerialized(error: SerializedError): EngineClientError {
  return new EngineClientError(error.code, error.message, error.details);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
