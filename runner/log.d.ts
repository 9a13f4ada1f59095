import pino from 'pino';
export declare const log: pino.Logger<never, boolean>;
