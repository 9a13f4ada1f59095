// Tokens: who may use the service, in which class, with which role. A token is shown once when it is
// made; the store keeps only its SHA-256, so a stolen database holds no usable token. Roles order
// what one may do: admin (everything), teacher (their class: tokens, limits, problems, the log),
// student (run, judge, their own runs).
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../../protocol/http';
import type { Store, TokenRow } from './store';

export const TOKEN_PREFIX = 'vt_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new token (printed once) for a name in a class; expires after `expiresDays` when given. */
export function createToken(store: Store, t: { name: string; class: string; role: Role; expiresDays?: number }): string {
  if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(t.name)) throw new AuthError(400, 'bad_name', 'A token name is 1–64 letters, digits, _ . @ or -.');
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(t.class))
    throw new AuthError(400, 'bad_class', 'A class name is 1–64 lower-case letters, digits, _ or -.');
  if (store.tokenByName(t.class, t.name))
    throw new AuthError(409, 'exists', `${t.name} already has a token in class ${t.class}: revoke it first.`);
  const token = TOKEN_PREFIX + randomBytes(24).toString('base64url');
  const expiresAt = t.expiresDays ? new Date(Date.now() + t.expiresDays * 86_400_000).toISOString() : undefined;
  store.addToken({ name: t.name, class: t.class, role: t.role, hash: hashToken(token), ...(expiresAt ? { expiresAt } : {}) });
  return token;
}

/** A request's failure to authenticate or to be allowed: its HTTP status and words. */
export class AuthError extends Error {
  override name = 'AuthError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The caller behind an Authorization: Bearer (or X-Auth-Token) header. */
export function authenticate(store: Store, header: string | undefined): TokenRow {
  const token = header?.replace(/^Bearer\s+/i, '').trim();
  if (!token)
    throw new AuthError(
      401,
      'unauthenticated',
      'This server needs a token: send "Authorization: Bearer <token>" (ask your teacher for one).',
    );
  const row = store.tokenByHash(hashToken(token));
  if (!row) throw new AuthError(401, 'unauthenticated', 'This token is not known to the server.');
  if (row.revoked_at) throw new AuthError(401, 'revoked', 'This token was revoked.');
  if (row.expires_at && row.expires_at < new Date().toISOString())
    throw new AuthError(401, 'expired', `This token expired on ${row.expires_at}.`);
  return row;
}

const RANK: Record<Role, number> = { student: 0, teacher: 1, admin: 2 };

/** Refuses (403) a caller below `role`, or a teacher acting outside their class. */
export function requireRole(caller: TokenRow, role: Role, cls?: string): void {
  if (RANK[caller.role] < RANK[role]) throw new AuthError(403, 'forbidden', `This needs a ${role} token; yours is a ${caller.role}'s.`);
  if (cls !== undefined && caller.role !== 'admin' && caller.class !== cls)
    throw new AuthError(403, 'forbidden', `Your token is for class ${caller.class}, not ${cls}.`);
}
