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
});

export interface RunnerSettings {
  runtime?: string;
  cpus: number;
  maxBusy: number;
  maxUses: number;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): RunnerSettings {
  const parsed = Settings.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid Verdict setting in the environment: ${z.prettifyError(parsed.error)}`);
  const s = parsed.data;
  return { ...(s.VERDICT_RUNTIME ? { runtime: s.VERDICT_RUNTIME } : {}), cpus: s.VERDICT_CPUS, maxBusy: s.VERDICT_MAX_BUSY, maxUses: s.VERDICT_MAX_USES };
}
