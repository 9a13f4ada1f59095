// fetch() over a unix socket, for ServiceClient talking to the local daemon: node:http with
// socketPath (Node's own fetch cannot reach a socket without undici's Agent, a dependency we skip).
// It answers with the part of a Response the client reads (ok, status, statusText, headers.get,
// json, text, body as an async iterable of bytes), not a Response: Node loads its whole fetch
// implementation (undici) on the first Response, ~20 ms of a call that should take a few.
import http from 'node:http';

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
        const status = res.statusCode ?? 500;
        const text = async () => {
          const chunks: Buffer[] = [];
          for await (const chunk of res) chunks.push(chunk as Buffer);
          return Buffer.concat(chunks).toString('utf8');
        };
        resolve({
          ok: status >= 200 && status < 300,
          status,
          statusText: res.statusMessage ?? '',
          headers: { get: (name: string) => [res.headers[name.toLowerCase()] ?? null].flat().join(', ') || null },
          body: res,
          text,
          json: async () => JSON.parse(await text()) as unknown,
        } as unknown as Response);
      });
      req.end(typeof init.body === 'string' ? init.body : undefined);
    })) as typeof fetch;
}
