// fetch() over a unix socket, for ServiceClient talking to the local daemon: node:http with
// socketPath (Node's own fetch cannot reach a socket without undici's Agent, a dependency we skip).
// Covers what the client uses: method, headers, a string body, a signal, a streamed response body.
import http from 'node:http';
import { Readable } from 'node:stream';

export function unixFetch(socket: string): typeof fetch {
  return ((input: string | URL, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(String(input));
      const req = http.request({
        socketPath: socket,
        path: url.pathname + url.search,
        method: init.method ?? 'GET',
        headers: { host: 'localhost', ...(init.headers as Record<string, string> | undefined) },
        ...(init.signal ? { signal: init.signal } : {}),
      });
      req.on('error', (err) => reject(Object.assign(new TypeError('fetch failed'), { cause: err })));
      req.on('response', (res) => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
        const status = res.statusCode ?? 500;
        const empty = status === 204 || status === 304 || init.method === 'HEAD';
        if (empty) res.resume();
        resolve(new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status, headers }));
      });
      req.end(typeof init.body === 'string' ? init.body : undefined);
    })) as typeof fetch;
}
