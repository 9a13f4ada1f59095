import type Docker from 'dockerode';
import { type Field, type Message } from './wire';
export declare const SUPERVISOR_PATH = '/usr/lib/verdict/verdict-supervisor';
export declare const SANDBOX_UID = 10001;
export declare const LABEL_OWNER = 'verdict.owner';
export declare const LABEL_LANGUAGE = 'verdict.language';
export declare const LABEL_PID = 'verdict.pid';
export declare const LABEL_HOST = 'verdict.host';
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
}
export declare class SandboxContainer {
  private readonly docker;
  readonly shape: ContainerShape;
  private readonly container;
  private readonly stream;
  readonly id: string;
  uses: number;
  /** The id of the image the container runs: part of every cache key, so caches never cross images. */
  imageId: string;
  /** What the supervisor could build here (from its ready message), for `verdict doctor`. */
  features: SandboxFeatures;
  private dead;
  private decoder;
  private waiting;
  private queue;
  private stderrTail;
  private busy;
  private constructor();
  get alive(): boolean;
  static start(docker: Docker, shape: ContainerShape): Promise<SandboxContainer>;
  private wire;
  private fail;
  private next;
  /** Sends one request and waits for its answer. A missing answer condemns the container. */
  request(fields: Field[], timeoutMs: number, signal?: AbortSignal, onChunk?: (m: Message) => void): Promise<Message>;
  /** Removes the container and everything in it. Safe to call more than once. */
  destroy(): Promise<void>;
}
