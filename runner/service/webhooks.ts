// Webhooks: when a run that asked for one ends, its result is sent to the URL it gave — signed with
// the server's secret (HMAC-SHA256 over "<timestamp>.<body>", so a receiver can check who sent it and
// refuse replays), retried with exponential backoff on a network error, a timeout or a 5xx/429, and
// every attempt kept with the run (GET /v1/runs/:id shows them). Deliveries waiting for a retry
// survive a restart. Only http(s) URLs; an address in a private, loopback, link-local or otherwise
// special range is refused — checked when the run is submitted and again, on the address actually
// connected to, at each delivery (a name that resolves elsewhere later cannot reach the inside) —
// unless the admin allowed private targets (`verdict serve --allow-private-webhooks`).
import { createHmac } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net, { BlockList } from 'node:net';
import type { Logger } from 'pino';
import type { WebhookInfo } from '../../protocol/http';
import { ServiceError } from './quotas';
import type { RunRow, Store, WebhookRow } from './store';

/** The header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'Verdict-Signature';
const ATTEMPT_TIMEOUT_MS = 10_000;
/** Only the start of a receiver's answer is kept in the run's record. */
const KEPT_ANSWER_BYTES = 200;

export interface WebhookOptions {
  /** Let webhooks reach private and loopback addresses (a server inside a trusted network, the tests). */
  allowPrivate: boolean;
  /** Attempts in all (the first and the retries). */
  attempts: number;
  /** Wait before the first retry; doubled for each next one. */
  backoffMs: number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = { allowPrivate: false, attempts: 6, backoffMs: 1000 };

/** What a webhook sends: method and body, by the API the run came through (native or Judge0's callback_url). */
export type WebhookBody = (row: RunRow) => { method: 'POST' | 'PUT'; body: string };

/** Addresses a webhook may not reach unless the admin allows it. */
const SPECIAL = new BlockList();
for (const [net4, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  SPECIAL.addSubnet(net4, prefix, 'ipv4');
for (const [net6, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  SPECIAL.addSubnet(net6, prefix, 'ipv6');

/** Whether an address is in a private or special range (IPv4-mapped IPv6 judged as its IPv4). */
export function isSpecialAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return SPECIAL.check(mapped[1]!, 'ipv4');
  const family = net.isIP(address);
  if (family === 0) return true;
  return SPECIAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Checks a webhook URL before anything is stored: http(s), and no private target unless allowed. */
export function checkWebhookUrl(raw: string, allowPrivate: boolean, field = 'webhook'): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ServiceError(400, 'bad_webhook', `${field}: "${raw.slice(0, 200)}" is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ServiceError(400, 'bad_webhook', `${field}: only http and https URLs are called, not ${url.protocol}`);
  if (url.username || url.password)
    throw new ServiceError(400, 'bad_webhook', `${field}: credentials in the URL are not sent; remove them.`);
  if (raw.length > 2048) throw new ServiceError(400, 'bad_webhook', `${field}: at most 2048 characters.`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && (net.isIP(host) ? isSpecialAddress(host) : /^localhost$|\.localhost$|\.local$|\.internal$/i.test(host)))
    throw new ServiceError(
      400,
      'bad_webhook',
      `${field}: ${host} is a private or loopback address, which this server does not call (its admin can allow it with --allow-private-webhooks).`,
    );
  return url.toString();
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Sends webhooks and retries them; owns its timers (close() stops them, the store keeps what is pending). */
export class Webhooks {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly bodies: Record<string, WebhookBody>,
    private readonly log: Logger,
    private readonly options: WebhookOptions,
  ) {}

  /** Deliveries a stopped server left pending: sent again now. */
  resume(): void {
    for (const hook of this.store.pendingWebhooks()) this.schedule(hook.run_id, 0);
  }

  /** The run ended: its webhook (if it asked for one) is sent. */
  runEnded(runId: string): void {
    if (this.store.webhook(runId)?.state === 'pending') this.schedule(runId, 0);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(runId: string, delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(runId);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(runId: string): Promise<void> {
    const hook = this.store.webhook(runId);
    const row = this.store.run(runId);
    if (!hook || !row || hook.state !== 'pending') return;
    const make = this.bodies[hook.format];
    if (!make) return this.store.endWebhook(runId, 'failed');
    const { method, body } = make(row);
    const attempt = hook.attempts + 1;
    const started = Date.now();
    let status: number | undefined;
    let error: string | undefined;
    try {
      const answer = await this.send(hook.url, method, body, runId, attempt);
      status = answer.status;
      if (answer.status >= 300) error = `HTTP ${answer.status}${answer.text ? `: ${answer.text}` : ''}`;
    } catch (err) {
      error = (err as Error).message;
    }
    const delivered = status !== undefined && status >= 200 && status < 300;
    // A 4xx other than 408/429 means the receiver refuses this body: trying again would not help.
    const retriable = !delivered && (status === undefined || status >= 500 || status === 408 || status === 429);
    this.store.addWebhookAttempt(runId, { attempt, at: new Date(started).toISOString(), ms: Date.now() - started, status, error });
    this.log.info({ runId, attempt, status, error, delivered }, 'webhook attempt');
    if (delivered) return this.store.endWebhook(runId, 'delivered');
    if (!retriable || attempt >= this.options.attempts) return this.store.endWebhook(runId, 'failed');
    this.schedule(runId, this.options.backoffMs * 2 ** (attempt - 1));
  }

  private send(target: string, method: string, body: string, runId: string, attempt: number): Promise<{ status: number; text: string }> {
    const url = new URL(target);
    const timestamp = Math.floor(Date.now() / 1000);
    const allowPrivate = this.options.allowPrivate;
    // The address connected to is checked, whatever the name resolved to when the run was submitted.
    const lookup = (
      hostname: string,
      opts: object,
      done: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
    ) =>
      dnsLookup(hostname, { ...opts, all: true }, (err, addresses) => {
        if (err) return done(err, []);
        const allowed = addresses.filter((a) => allowPrivate || !isSpecialAddress(a.address));
        if (allowed.length === 0) return done(new Error(`${hostname} resolves only to private or special addresses`), []);
        if ((opts as { all?: boolean }).all) return done(null, allowed);
        return done(null, allowed[0]!.address, allowed[0]!.family);
      });
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(literal) && !allowPrivate && isSpecialAddress(literal))
      return Promise.reject(new Error(`${literal} is a private or special address`));
    return new Promise((resolve, reject) => {
      const request = (url.protocol === 'https:' ? https : http).request(
        url,
        {
          method,
          lookup,
          timeout: ATTEMPT_TIMEOUT_MS,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'Verdict-Webhook/1',
            [SIGNATURE_HEADER]: signature(this.store.webhookSecret(), timestamp, body),
            'Verdict-Run-Id': runId,
            'Verdict-Delivery-Attempt': String(attempt),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (text.length < KEPT_ANSWER_BYTES) text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: text.slice(0, KEPT_ANSWER_BYTES) }));
          res.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`)));
      request.on('error', reject);
      request.end(body);
    });
  }
}

/** A run's webhook as its record shows it: where, how it went, each attempt. */
export function webhookInfo(hook: WebhookRow, attempts: WebhookInfo['attempts']): WebhookInfo {
  return { url: hook.url, state: hook.state, attempts };
}
