import { type ChildProcess, fork } from 'node:child_process';
import type { GenerateRequest, GenerateResult, ModelInfo, Progress } from '@matryoshka/core';
import { EngineClientError } from './engine-client-error.js';
import {
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

  constructor(private readonly options: EngineClientOptions) {}

  generate(request: GenerateRequest, call: GenerateCallOptions = {}): Promise<GenerateResult> {
    const { signal, onProgress } = call;
    if (signal?.aborted) return Promise.reject(aborted());
    const id = this.nextId++;
    const promise = this.request<GenerateResult>({ type: 'generate', id, request }, onProgress);
    if (!signal) return promise;

    const onAbort = () => {
      this.post({ type: 'abort', id });
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
    return this.request<ModelInfo[]>({ type: 'listModels', id: this.nextId++ });
  }

  /** Whether a worker process is running now (it is started lazily and stops when idle). */
  get running(): boolean {
    return this.child !== undefined;
  }

  dispose(): void {
    this.kill(new EngineClientError('ABORTED', 'The Matryoshka engine was shut down.'));
  }

  private request<T>(message: HostMessage, onProgress?: (progress: Progress) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.set(message.id, { resolve: resolve as (value: unknown) => void, reject, onProgress });
      this.clearIdle();
      try {
        this.post(message);
      } catch (error) {
        this.pending.delete(message.id);
        reject(new EngineClientError('RUNTIME_ERROR', `Could not start the Matryoshka engine: ${describe(error)}`));
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
      env: { ...process.env, [WORKER_OPTIONS_ENV]: JSON.stringify(this.options.engine) },
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
    child.on('exit', (code, signal) => this.onExit(child, signal ? `killed by ${signal}` : `exit code ${code}`));
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
    this.pending.delete(message.id);
    if (message.type === 'result') pending.resolve(message.value);
    else pending.reject(fromSerialized(message.error));
    if (this.pending.size === 0) this.armIdle();
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
    this.idleTimer = setTimeout(() => {
      if (this.pending.size === 0) this.kill(new EngineClientError('ABORTED', 'idle'));
    }, this.options.idleMs ?? 5 * 60_000);
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
