// The Docker Engine connection, and the translation of its failures into errors that say what to do.
import Docker from 'dockerode';
import { SandboxUnavailable } from '../errors';

export function dockerSocketDescription(): string {
  return process.env.DOCKER_HOST ?? '/var/run/docker.sock';
}

export function connectDocker(): Docker {
  // dockerode reads DOCKER_HOST (and TLS settings) itself, like the docker CLI.
  return new Docker();
}

/** Throws SandboxUnavailable unless the engine answers. */
export async function assertDockerReachable(docker: Docker): Promise<void> {
  try {
    await docker.ping();
  } catch (err) {
    throw new SandboxUnavailable(
      `Docker is not reachable at ${dockerSocketDescription()} (${(err as Error).message}). ` +
        'Start it (e.g. `sudo systemctl start docker`, or `dockerd &`), or run `verdict doctor`.',
    );
  }
}

/** True for dockerode's "no such image/container" answers. */
export function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number })?.statusCode === 404;
}

export function describeDockerError(err: unknown): string {
  const e = err as { json?: { message?: string }; message?: string };
  return e?.json?.message ?? e?.message ?? String(err);
}
