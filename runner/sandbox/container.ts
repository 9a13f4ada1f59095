// One warm language container: the outer wall of the sandbox. It runs verdict-supervisor as its
// only process (under Docker's init) and is driven over its attached stdin/stdout, one request at
// a time. It owns its Docker container and removes it on every path.
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import seccompProfile from './seccomp/container-profile.json';
import { FrameDemuxer, MessageDecoder, encodeMessage, type Field, type Message } from './wire';
import { ImageMissing, RunCancelled, SandboxUnavailable } from '../errors';
import { describeDockerError, isNotFound } from './docker';

export const SUPERVISOR_PATH = '/usr/lib/verdict/verdict-supervisor';
export const SANDBOX_UID = 10001;
export const LABEL_OWNER = 'verdict.owner';
export const LABEL_LANGUAGE = 'verdict.language';
export const LABEL_PID = 'verdict.pid';
export const LABEL_HOST = 'verdict.host';

export interface ContainerShape {
  image: string;
  language: string;
  /** Hard cgroup memory limit (memory + swap). */
  memoryBytes: number;
  pids: number;
  /** Size of the container's own tmpfs, which holds the box and stdin files. */
  tmpBytes: number;
  nanoCpus: number;
  /** OCI runtime name passed through to Docker (e.g. "runsc"); undefined = Docker's default. */
  runtime?: string;
  /** The container's seccomp profile as JSON; undefined = Verdict's own (seccomp/container-profile.json). */
  seccompProfile?: string;
  /** Who owns the container: one runner instance. */
  owner: string;
}

/**
 * root: "overlay" when the sandbox root hides every Docker mount (no host path in mountinfo), "bind"
 * on kernels that refuse overlays in a user namespace. memoryMeter: the container's memory cgroup is
 * readable, so a submission's whole memory is metered (else only peak RSS and the cgroup's wall).
 */
export interface SandboxFeatures {
  root: string;
  memoryMeter: boolean;
  /** The supervisor takes a program's input as it comes (exec's stdin_stream; protocol version 4). */
  liveInput: boolean;
  /**
   * An `exec` may carry the files to put in the box (emptied first) and ask for the box to be emptied
   * before its reply (empty_after), and replies say `clean` when both boxes are empty (version 5).
   */
  execFiles: boolean;
}

const READY_TIMEOUT_MS = 30_000;
const DEFAULT_PROFILE = JSON.stringify(seccompProfile);
const STDERR_TAIL = 4096;

export class SandboxContainer {
  readonly id = randomUUID().slice(0, 8);
  uses = 0;
  /** The id of the image the container runs: part of every cache key, so caches never cross images. */
  imageId = '';
  /** What the supervisor could build here (from its ready message), for `verdict doctor`. */
  features: SandboxFeatures = { root: '', memoryMeter: false, liveInput: false, execFiles: false };
  private dead = false;
  private decoder = new MessageDecoder();
  private waiting: { resolve: (m: Message) => void; reject: (e: Error) => void; onChunk?: (m: Message) => void } | null = null;
  private queue: Message[] = [];
  private stderrTail = '';
  private busy = false;
  private removal?: Promise<void>;
  /** The supervisor's last reply said both boxes are empty, and no request was sent since. */
  private clean = false;

  private constructor(
    readonly shape: ContainerShape,
    private readonly container: Docker.Container,
    private readonly stream: Duplex,
  ) {}

  get alive(): boolean {
    return !this.dead;
  }

  /**
   * Whether both boxes are known empty: the supervisor said so (`clean`) in its answer to the last
   * request, and nothing was sent since. Then no reset is needed before another submission.
   */
  get boxesEmpty(): boolean {
    return this.clean && !this.busy && !this.dead;
  }

  static async start(docker: Docker, shape: ContainerShape): Promise<SandboxContainer> {
    let container: Docker.Container;
    try {
      container = await docker.createContainer(containerConfig(shape));
    } catch (err) {
      if (isNotFound(err)) throw new ImageMissing(shape.image, shape.language);
      throw new SandboxUnavailable(
        `Docker could not create a sandbox for ${shape.language}: ${describeDockerError(err)}. Run \`verdict doctor\`.`,
      );
    }
    let sandbox: SandboxContainer | undefined;
    try {
      const stream = (await container.attach({ stream: true, hijack: true, stdin: true, stdout: true, stderr: true })) as Duplex;
      sandbox = new SandboxContainer(shape, container, stream);
      sandbox.wire();
      await container.start().catch((err) => {
        const msg = describeDockerError(err);
        const hint = /seccomp/i.test(msg)
          ? 'Docker rejected the seccomp profile: does this engine support seccomp? '
          : /runtime/i.test(msg)
            ? `The container runtime "${shape.runtime}" is not available to Docker. `
            : '';
        throw new SandboxUnavailable(`The sandbox for ${shape.language} could not start: ${msg}. ${hint}Run \`verdict doctor\`.`);
      });
      const ready = await sandbox.next(READY_TIMEOUT_MS);
      if (ready.text('status') !== 'ready')
        throw new SandboxUnavailable(`The sandbox supervisor for ${shape.language} did not start: ${ready.text('message')}`);
      sandbox.features = {
        root: ready.text('root'),
        memoryMeter: ready.text('cgroup_mem') !== '',
        liveInput: ready.text('stdin_stream') === '1',
        execFiles: Number(ready.text('version')) >= 5,
      };
      sandbox.imageId = (await container.inspect()).Image;
      return sandbox;
    } catch (err) {
      if (sandbox) await sandbox.destroy();
      else await container.remove({ force: true }).catch(() => undefined);
      throw err;
    }
  }

  private wire(): void {
    const decoder = this.decoder;
    const onMessages = (chunk: Buffer) => {
      let messages: Message[];
      try {
        messages = decoder.push(chunk);
      } catch (err) {
        this.fail(new SandboxUnavailable(`The sandbox supervisor sent garbage: ${(err as Error).message}`));
        return;
      }
      for (const m of messages) {
        // Streamed output of the request in flight: passed on, the request goes on waiting.
        if (m.text('status') === 'chunk') {
          this.waiting?.onChunk?.(m);
          continue;
        }
        this.clean = m.text('clean') === '1';
        if (this.waiting) {
          const w = this.waiting;
          this.waiting = null;
          w.resolve(m);
        } else this.queue.push(m);
      }
    };
    // Docker's frames demultiplexed here, straight into the decoder (one pass per chunk, no streams between).
    const frames = new FrameDemuxer((stream, payload) => {
      if (stream === 1) onMessages(payload);
      else if (stream === 2) this.stderrTail = (this.stderrTail + payload.toString()).slice(-STDERR_TAIL);
      else throw new Error(`a frame of stream ${stream}`);
    });
    this.stream.on('data', (chunk: Buffer) => {
      if (this.dead) return;
      try {
        frames.push(chunk);
      } catch (err) {
        this.fail(new SandboxUnavailable(`The sandbox container sent garbage: ${(err as Error).message}`));
      }
    });
    this.stream.on('close', () =>
      this.fail(new SandboxUnavailable(`The sandbox container for ${this.shape.language} stopped. ${this.stderrTail.trim()}`)),
    );
    this.stream.on('end', () =>
      this.fail(new SandboxUnavailable(`The sandbox container for ${this.shape.language} stopped. ${this.stderrTail.trim()}`)),
    );
    this.stream.on('error', (err) => this.fail(new SandboxUnavailable(`Lost the sandbox container: ${err.message}`)));
  }

  private fail(err: Error): void {
    this.dead = true;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(err);
  }

  private next(timeoutMs: number, signal?: AbortSignal, onChunk?: (m: Message) => void): Promise<Message> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.dead)
      return Promise.reject(new SandboxUnavailable(`The sandbox container for ${this.shape.language} is gone. ${this.stderrTail.trim()}`));
    return new Promise<Message>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        cleanup();
        this.waiting = null;
        this.dead = true;
        void this.destroy();
        reject(new RunCancelled());
      };
      const timer = setTimeout(() => {
        cleanup();
        this.waiting = null;
        this.dead = true;
        void this.destroy();
        reject(new SandboxUnavailable(`The sandbox supervisor for ${this.shape.language} did not answer within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.waiting = {
        resolve: (m) => (cleanup(), resolve(m)),
        reject: (e) => (cleanup(), reject(e)),
        ...(onChunk ? { onChunk } : {}),
      };
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Sends a message that has no answer, while a request is in flight: a running program's live
   * input (exec with stdin_stream). Resolves when the container's stream has room for more.
   */
  async send(fields: Field[]): Promise<void> {
    if (!this.busy || this.dead) return;
    if (!this.stream.write(encodeMessage(fields))) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  /** Sends one request and waits for its answer. A missing answer condemns the container. */
  async request(fields: Field[], timeoutMs: number, signal?: AbortSignal, onChunk?: (m: Message) => void): Promise<Message> {
    if (this.busy) throw new Error('SandboxContainer.request: one request at a time');
    this.busy = true;
    this.clean = false;
    try {
      this.stream.write(encodeMessage(fields));
      return await this.next(timeoutMs, signal, onChunk);
    } finally {
      this.busy = false;
    }
  }

  /** Removes the container and everything in it. Safe to call more than once. */
  destroy(): Promise<void> {
    // One removal, however many owners ask (a release and the pool's close may race): each caller
    // waits for the container to be gone, not just for its own request to be refused as a duplicate.
    this.removal ??= (async () => {
      this.fail(new SandboxUnavailable(`The sandbox container for ${this.shape.language} was removed.`));
      this.stream.destroy();
      await this.container.remove({ force: true }).catch((err) => {
        if (!isNotFound(err) && !/already in progress/.test(describeDockerError(err))) throw err;
      });
    })();
    return this.removal;
  }
}

function containerConfig(shape: ContainerShape): Docker.ContainerCreateOptions {
  return {
    Image: shape.image,
    Cmd: [SUPERVISOR_PATH],
    User: `${SANDBOX_UID}:${SANDBOX_UID}`,
    WorkingDir: '/tmp',
    // A minimal environment: nothing of the host's leaks in (the supervisor also sets each program's).
    Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/tmp', 'LANG=C.UTF-8'],
    OpenStdin: true,
    StdinOnce: false,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    NetworkDisabled: true,
    Hostname: 'verdict',
    Labels: {
      [LABEL_OWNER]: shape.owner,
      [LABEL_LANGUAGE]: shape.language,
      [LABEL_PID]: String(process.pid),
      [LABEL_HOST]: hostname(),
    },
    HostConfig: {
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': `rw,exec,nosuid,nodev,size=${Math.floor(shape.tmpBytes / 1024)}k,mode=1777` },
      CapDrop: ['ALL'],
      // The supervisor needs a /proc without Docker's masks to mount a fresh /proc in each inner
      // sandbox; the unprivileged user, no capabilities and the seccomp profile guard what those masks did.
      MaskedPaths: [],
      ReadonlyPaths: [],
      SecurityOpt: ['no-new-privileges', `seccomp=${shape.seccompProfile ?? DEFAULT_PROFILE}`],
      Privileged: false,
      // No docker-init: it is bind-mounted into /usr, which would keep the sandbox root from overlaying /usr.
      // The supervisor is pid 1 and reaps every sandbox init it starts; nothing else is ever its child.
      Init: false,
      PidsLimit: shape.pids,
      Memory: shape.memoryBytes,
      MemorySwap: shape.memoryBytes,
      NanoCpus: shape.nanoCpus,
      IpcMode: 'private',
      Ulimits: [
        { Name: 'nofile', Soft: 4096, Hard: 4096 },
        { Name: 'core', Soft: 0, Hard: 0 },
        { Name: 'fsize', Soft: 1024 * 1024 * 1024, Hard: 1024 * 1024 * 1024 },
      ],
      ...(shape.runtime ? { Runtime: shape.runtime } : {}),
      AutoRemove: false,
    },
  };
}
