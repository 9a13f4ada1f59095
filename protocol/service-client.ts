// A client of the classroom service's HTTP API (protocol/http.ts), for everything that talks to a
// Verdict server: the CLI's --server, the language server's remote mode, the benchmarks. Plain
// fetch and a small Server-Sent Events reader: nothing to load but the types. Every failure becomes
// a ServiceClientError saying what happened and what to do (401, 403, 429 with the wait, the server
// unreachable, a server of another API version).
import { isUtf8 } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import type { Accepted, ErrorBody, InlineTest, LanguageInfo, ProblemInfo, RunEvent, RunRecord, SubmitRequest } from './http';
import type { TestData } from './judge';

/**
 * Bytes as a request field carries them: `field` as text when they are UTF-8 (exactly, a BOM and NUL
 * included) and no larger in JSON than in base64, else `<field>Base64` — for stdin and inline tests,
 * so no byte is lost on the way. (JSON writes a control byte as `\u00XX`: 64 MiB of NULs as text
 * would be 384 MiB, past a server's body limit; in base64 it is 85 MiB.)
 */
export function bytesField(field: 'stdin' | 'input' | 'answer', bytes: Uint8Array): Record<string, string> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return isUtf8(buffer) && jsonGrowth(buffer) <= buffer.length / 3
    ? { [field]: buffer.toString('utf8') }
    : { [`${field}Base64`]: buffer.toString('base64') };
}

/** How many bytes JSON's escapes add to these (UTF-8) bytes as a string: 1 for `\"`, `\\`, `\b`, `\t`, `\n`, `\f`, `\r`; 5 for any other control byte. */
function jsonGrowth(bytes: Uint8Array): number {
  let growth = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x20 && b !== 0x22 && b !== 0x5c) continue;
    growth += b === 0x22 || b === 0x5c || (b >= 0x08 && b <= 0x0d && b !== 0x0b) ? 1 : 5;
  }
  return growth;
}

/** A test sent whole (a judge request's `tests`): its files read, each field text or base64 as its bytes need. */
export async function inlineTest(test: { name: string; input: TestData; answer: TestData }): Promise<InlineTest> {
  const bytesOf = async (data: TestData) => ('path' in data ? await readFile(data.path) : Buffer.from(data.text, 'utf8'));
  return {
    name: test.name,
    ...bytesField('input', await bytesOf(test.input)),
    ...bytesField('answer', await bytesOf(test.answer)),
  } as InlineTest;
}

export const SERVICE_API_VERSION = '1';

export class ServiceClientError extends Error {
  override name = 'ServiceClientError';
  constructor(
    message: string,
    /** The HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    readonly body?: ErrorBody,
  ) {
    super(message);
  }
  /** Seconds to wait before trying again (429, 503). */
  get retryAfterSeconds(): number | undefined {
    return this.body?.retryAfterSeconds;
  }
}

export class ServiceClient {
  private readonly base: string;

  constructor(
    url: string,
    private readonly token: string,
    /** How requests are made: the global fetch, or one over a unix socket (the local daemon's). */
    private readonly fetch: typeof globalThis.fetch = globalThis.fetch,
    /** This user's background runner (runner/daemon/): its refusals are the runner's own, said as the runner says them. */
    private readonly local = false,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  /** Submits a run or judge; with `waitMs`, the server answers with the record when it ends within it. */
  async submit(body: SubmitRequest, waitMs?: number): Promise<Accepted | RunRecord> {
    const query = waitMs !== undefined ? `?wait=true&timeout=${Math.min(60_000, Math.max(0, Math.round(waitMs)))}` : '';
    return this.request<Accepted | RunRecord>('POST', `/v1/runs${query}`, body);
  }

  run(id: string): Promise<RunRecord> {
    return this.request('GET', `/v1/runs/${encodeURIComponent(id)}`);
  }

  cancel(id: string): Promise<{ cancelled: boolean }> {
    return this.request('DELETE', `/v1/runs/${encodeURIComponent(id)}`);
  }

  languages(): Promise<LanguageInfo[]> {
    return this.request('GET', '/v1/languages');
  }

  problems(): Promise<ProblemInfo[]> {
    return this.request('GET', '/v1/problems');
  }

  /** Whether the server speaks this API version (GET /healthz). */
  async check(): Promise<void> {
    const health = await this.request<{ ok: boolean; version?: string }>('GET', '/healthz');
    if (health.version !== SERVICE_API_VERSION)
      throw new ServiceClientError(
        `The server at ${this.base} speaks API version ${health.version ?? '(unknown)'}, this client ${SERVICE_API_VERSION}: update the one that is older.`,
        0,
      );
  }

  /**
   * A run's events in order until `done` (resuming after `lastEventId`, and again by itself if the
   * connection drops); resolves with the final record. `signal` stops following (not the run).
   */
  async follow(id: string, onEvent: (event: RunEvent, seq: number) => void, signal?: AbortSignal, lastEventId = 0): Promise<RunRecord> {
    let last = lastEventId;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.fetch(`${this.base}/v1/runs/${encodeURIComponent(id)}/events`, {
          headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream', 'last-event-id': String(last) },
          ...(signal ? { signal } : {}),
        });
      } catch (err) {
        if (signal?.aborted || attempt >= 5) throw this.unreachable(err);
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
        continue;
      }
      if (!res.ok || !res.body) throw await this.failure(res);
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let seq = 0;
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('id: ')) seq = Number(line.slice(4));
              else if (line.startsWith('data: ')) data += line.slice(6);
            }
            if (!data) continue; // a keep-alive comment
            const event = JSON.parse(data) as RunEvent;
            last = seq || last;
            onEvent(event, seq);
            if (event.type === 'done') return event.record;
          }
        }
      } catch (err) {
        if (signal?.aborted) throw err;
      }
      // The stream ended before `done` (a restart, a proxy): resume after the last event seen.
      if (attempt >= 5) throw new ServiceClientError(`Lost the events of run ${id} from ${this.base}.`, 0);
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }

  private async request<T>(method: string, route: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await this.fetch(this.base + route, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw this.unreachable(err);
    }
    if (!res.ok) throw await this.failure(res);
    return (await res.json()) as T;
  }

  private unreachable(err: unknown): ServiceClientError {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if (this.local)
      return new ServiceClientError(
        `The background runner is unreachable (${cause?.code ?? cause?.message ?? (err as Error).message}): \`verdict daemon status\` says whether it runs; --no-daemon runs without it.`,
        0,
      );
    return new ServiceClientError(
      `The Verdict server at ${this.base} is unreachable (${cause?.code ?? cause?.message ?? (err as Error).message}): is the URL right, and is it running?`,
      0,
    );
  }

  private async failure(res: Response): Promise<ServiceClientError> {
    let body: ErrorBody | undefined;
    try {
      body = (await res.json()) as ErrorBody;
    } catch {
      body = undefined;
    }
    const said = body?.message ?? res.statusText;
    const message =
      res.status === 401
        ? `The server did not accept your token: ${said} Sign in again with a token from your teacher.`
        : res.status === 403
          ? `Not allowed: ${said}`
          : res.status === 429
            ? said
            : this.local && res.status === 400
              ? said
              : res.status === 404 && !body
                ? `The server at ${this.base} does not offer this (HTTP 404): is it a Verdict server of API version ${SERVICE_API_VERSION}?`
                : `The server said (HTTP ${res.status}): ${said}`;
    return new ServiceClientError(message, res.status, body);
  }
}
