import type Docker from 'dockerode';
import { SandboxContainer, type ContainerShape, type SandboxFeatures } from './container';
export interface PoolSettings {
  /** Submissions a container serves before it is replaced. */
  maxUses: number;
  /** Containers running submissions at once (the rest wait). */
  maxBusy: number;
  /** Idle containers kept per shape at least, once a shape has been used; recent demand may keep more (up to maxBusy). */
  idlePerShape: number;
  /** Idle containers are removed after this long unused (0 = never). */
  idleTimeoutMs: number;
}
export declare const DEFAULT_POOL_SETTINGS: PoolSettings;
type ShapeRequest = Omit<ContainerShape, 'owner'>;
export declare class ContainerPool {
  private readonly docker;
  readonly owner: string;
  private readonly settings;
  private readonly idle;
  private readonly all;
  private readonly warming;
  /** Per shape: containers in use now and the peak in the current window (sizes the warm pool). */
  private readonly demand;
  /** Per shape: containers being reset after use, and acquirers waiting for one of them. */
  private readonly returning;
  private readonly arrivalWaiters;
  private busy;
  /** What the last container started could build (see SandboxFeatures). */
  features: SandboxFeatures | undefined;
  private readonly waiters;
  private sweeper;
  private closed;
  constructor(docker: Docker, owner: string, settings?: PoolSettings);
  /**
   * Takes a clean container of this shape, waiting for a free slot. A container being reset is waited
   * for rather than a new one created; only when none is idle or coming back is one created here.
   */
  acquire(shape: ShapeRequest): Promise<SandboxContainer>;
  /** Gives a container back: reset and reused when healthy and not worn out, destroyed otherwise. */
  release(container: SandboxContainer, healthy: boolean): Promise<void>;
  /** Idle containers wanted for a shape: the configured floor, or the recent peak of concurrent use. */
  private target;
  private demandOf;
  private returningCount;
  private arrivals;
  /** Starts a container of this shape in the background, unless one is already warming. */
  warm(shape: ShapeRequest): void;
  /** Removes every container this pool made. */
  close(): Promise<void>;
  get size(): {
    total: number;
    idle: number;
    busy: number;
  };
  /** Removes containers whose runner process is gone (it crashed), and those of this owner. */
  static reapLeftovers(docker: Docker, ownOwner?: string): Promise<number>;
  private create;
  private discard;
  private forget;
  private sweep;
  private slot;
  private freeSlot;
}
export {};
