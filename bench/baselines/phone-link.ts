/**
 * The phone profile's link as a proxy in front of the server, for loads where Chromium's own
 * network emulation does not reach: it shapes the requests of the page's tab only, while a service
 * worker's requests go out unshaped. Every request through this proxy, from the page or from its
 * service worker, waits the latency (half before it is passed on, half before the answer's
 * headers) and every answer's bytes share one downlink of the given rate, in 16 KiB pieces taken
 * in turn, first come first served. It counts the bytes it sends (bodies as received from the
 * server, so compressed where the server compressed them, plus the status line and headers).
 */
import { Agent, createServer, request, type Server } from 'node:http';

export interface PhoneLink {
  readonly url: string;
  /** Bytes sent to the browser since the last `resetBytes()`. */
  bytes(): number;
  resetBytes(): void;
  close(): Promise<void>;
}

const PIECE = 16 * 1024;
const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

export async function startPhoneLink(
  upstream: string,
  link: { latencyMs: number; downBytesPerSec: number },
): Promise<PhoneLink> {
  const up = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  let freeAt = 0;
  let sent = 0;
  /** Waits until `n` more bytes have crossed the shared downlink. */
  const cross = async (n: number) => {
    const now = performance.now();
    freeAt = Math.max(now, freeAt) + (n * 1000) / link.downBytesPerSec;
    sent += n;
    if (freeAt - now > 1) await sleep(freeAt - now);
  };
  const server: Server = createServer(async (req, res) => {
    const body: Buffer[] = [];
    for await (const c of req) body.push(c as Buffer);
    await sleep(link.latencyMs / 2);
    const fwd = request(
      { host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers, agent },
      async (r) => {
        await sleep(link.latencyMs / 2);
        const head = Object.entries(r.headers).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 20);
        await cross(head);
        res.writeHead(r.statusCode ?? 502, r.headers);
        for await (const chunk of r) {
          const b = chunk as Buffer;
          for (let i = 0; i < b.length; i += PIECE) {
            const piece = b.subarray(i, i + PIECE);
            await cross(piece.length);
            res.write(piece);
          }
        }
        res.end();
      },
    );
    fwd.on('error', () => res.writeHead(502).end());
    fwd.end(Buffer.concat(body));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    bytes: () => sent,
    resetBytes: () => {
      sent = 0;
    },
    close: () =>
      new Promise<void>((ok) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
