export interface RunnerSettings {
  runtime?: string;
  cpus: number;
  maxBusy: number;
  maxUses: number;
  idleTimeoutMs: number;
  warm: number;
  compileCache: boolean;
}
export declare function settingsFromEnv(env?: NodeJS.ProcessEnv): RunnerSettings;
