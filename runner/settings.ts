// Runner settings from the environment, typed and defaulted in one place.
import { z } from 'zod';

const Settings = z.object({
  /** OCI runtime passed through to Docker, e.g. "runsc" (gVisor). Empty: Docker's default. */
  VERDICT_RUNTIME: z.string().optional(),
  /** CPUs each sandbox container may use. */
  VERDICT_CPUS: z.coerce.number().positive().max(64).default(1),
  /** Submissions run at once by one runner. */
  VERDICT_MAX_BUSY: z.coerce.number().int().positive().max(256).default(2),
  /** Submissions a container serves before it is replaced. */
  VERDICT_MAX_USES: z.coerce.number().int().positive().default(200),
  /** Idle warm containers are removed after this long unused (0 = never): a laptop is not taxed. */
  VERDICT_IDLE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(5 * 60_000),
  /** Idle containers kept per language at least (recent demand may keep more). */
  VERDICT_WARM: z.coerce.number().int().min(0).max(64).default(1),
  /** 0 turns the compile cache off. */
  VERDICT_COMPILE_CACHE: z.enum(['0', '1']).default('1'),
});

export interface RunnerSettings {
  runtime?: string;
  cpus: number;
  maxBusy: number;
  maxUses: number;
  idleTimeoutMs: number;
  warm: number;
  compileCache: boolean;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): RunnerSettings {
  const parsed = Settings.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid Verdict setting in the environment: ${z.prettifyError(parsed.error)}`);
  const s = parsed.data;
  return {
    ...(s.VERDICT_RUNTIME ? { runtime: s.VERDICT_RUNTIME } : {}),
    cpus: s.VERDICT_CPUS,
    maxBusy: s.VERDICT_MAX_BUSY,
    maxUses: s.VERDICT_MAX_USES,
    idleTimeoutMs: s.VERDICT_IDLE_TIMEOUT_MS,
    warm: s.VERDICT_WARM,
    compileCache: s.VERDICT_COMPILE_CACHE === '1',
  };
}
