// Tokens of the classroom service on a real store (SQLite in a temp folder): shown once, kept as a
// hash, refused when unknown, revoked or expired; roles and classes bound what a token may do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Store } from '../../runner/service/store';
import { AuthError, authenticate, createToken, hashToken, requireRole } from '../../runner/service/auth';

function withStore(body: (store: Store, dir: string) => void): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-auth-'));
  const store = new Store(dir);
  try {
    body(store, dir);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const status = (fn: () => unknown): number => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AuthError, String(err));
    return err.status;
  }
  return 200;
};

test('service auth: a token is stored only as its hash and authenticates its owner', () => {
  withStore((store, dir) => {
    const token = createToken(store, { name: 'sam', class: 'algo1', role: 'student' });
    assert.match(token, /^vt_[A-Za-z0-9_-]{32}$/);
    assert.equal(authenticate(store, `Bearer ${token}`).name, 'sam');
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const file = readFileSync(path.join(dir, 'verdict.db'));
    assert.ok(!file.includes(Buffer.from(token)), 'the token itself is nowhere in the database');
    assert.ok(file.includes(Buffer.from(hashToken(token))));
  });
});

test('service auth: no, unknown, revoked and expired tokens are 401; one name per class', () => {
  withStore((store) => {
    assert.equal(
      status(() => authenticate(store, undefined)),
      401,
    );
    assert.equal(
      status(() => authenticate(store, 'Bearer vt_unknown')),
      401,
    );
    const token = createToken(store, { name: 'olga', class: 'algo1', role: 'student' });
    store.revokeToken(store.tokenByName('algo1', 'olga')!.id);
    assert.equal(
      status(() => authenticate(store, `Bearer ${token}`)),
      401,
    );
    store.addToken({
      name: 'old',
      class: 'algo1',
      role: 'student',
      hash: hashToken('vt_old'),
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    assert.throws(() => authenticate(store, 'Bearer vt_old'), /expired/);
    assert.equal(
      status(() => createToken(store, { name: 'olga', class: 'algo1', role: 'student' })),
      409,
    );
    assert.equal(
      status(() => createToken(store, { name: 'x y', class: 'algo1', role: 'student' })),
      400,
    );
  });
});

test('service auth: roles rank student < teacher < admin, and a teacher acts in their class only', () => {
  withStore((store) => {
    const teacher = authenticate(store, `Bearer ${createToken(store, { name: 't', class: 'algo1', role: 'teacher' })}`);
    const student = authenticate(store, `Bearer ${createToken(store, { name: 's', class: 'algo1', role: 'student' })}`);
    const admin = authenticate(store, `Bearer ${createToken(store, { name: 'a', class: 'staff', role: 'admin' })}`);
    assert.equal(
      status(() => requireRole(student, 'teacher')),
      403,
    );
    assert.equal(
      status(() => requireRole(teacher, 'teacher', 'algo1')),
      200,
    );
    assert.equal(
      status(() => requireRole(teacher, 'teacher', 'algo2')),
      403,
    );
    assert.equal(
      status(() => requireRole(admin, 'teacher', 'algo2')),
      200,
    );
  });
});
