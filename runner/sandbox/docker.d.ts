import Docker from 'dockerode';
export declare function dockerSocketDescription(): string;
export declare function connectDocker(): Docker;
/** Throws SandboxUnavailable unless the engine answers. */
export declare function assertDockerReachable(docker: Docker): Promise<void>;
/** True for dockerode's "no such image/container" answers. */
export declare function isNotFound(err: unknown): boolean;
export declare function describeDockerError(err: unknown): string;
