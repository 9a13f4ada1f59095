export type Field = [key: string, value: string | Buffer | number];
export declare function encodeMessage(fields: Field[]): Buffer;
/** A decoded message: the last value of each key, as raw bytes, and every field in order (repeated keys). */
export declare class Message {
  readonly fields: Map<string, Buffer>;
  readonly all: ReadonlyArray<readonly [string, Buffer]>;
  constructor(fields: Map<string, Buffer>, all?: ReadonlyArray<readonly [string, Buffer]>);
  text(key: string): string;
  num(key: string): number;
}
/**
 * Incremental decoder: feed it chunks as they arrive, get whole messages out. Chunks of a large
 * field are collected and joined once, so a flood of output costs linear, not quadratic, copying.
 */
export declare class MessageDecoder {
  private readonly maxField;
  private chunks;
  private length;
  private pending;
  private fields;
  private ordered;
  constructor(maxField?: number);
  push(chunk: Buffer): Message[];
  /** All buffered bytes as one buffer (joined only when more than `atLeast` are needed across chunks). */
  private take;
  private consume;
}
