import { request } from 'node:http';

const CHUNK = 64 * 1024;

/**
 * Sends `size` bytes of a JPEG-looking file in 64 KB chunks, made as they are sent (the client
 * holds one chunk); resolves with the status. `answered` learns how many bytes were sent when the
 * answer came (a refusal while streaming comes before the end), and sending stops there.
 */
export function sendChunked(
  port: number,
  token: string,
  seed: number,
  size: number,
  pause?: { reached: () => void; gate: Promise<void> },
  answered?: (sentSoFar: number) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/attachments?name=photo-${seed}.jpg`,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'image/jpeg',
          'transfer-encoding': 'chunked',
        },
      },
      (res) => {
        status = res.statusCode ?? 0;
        answered?.(sent);
        res.resume();
        res.on('end', () => resolve(status));
      },
    );
    // A connection the server closes after its refusal may error on the client's side: the answer counts.
    req.on('error', (e) => (status ? resolve(status) : reject(e)));
    let status = 0;
    let sent = 0;
    let paused = false;
    const chunk = Buffer.alloc(CHUNK);
    const pump = () => {
      while (sent < size && !(answered && status)) {
        if (pause && !paused && sent >= size / 2) {
          // Half the body is sent: wait here while the test measures.
          paused = true;
          pause.reached();
          void pause.gate.then(pump);
          return;
        }
        chunk.fill((seed + sent / CHUNK) & 0xff);
        if (sent === 0) {
          chunk[0] = 0xff;
          chunk[1] = 0xd8;
          chunk[2] = 0xff;
          chunk.writeUInt32BE(seed, 4);
        }
        const n = Math.min(CHUNK, size - sent);
        sent += n;
        if (!req.write(n === CHUNK ? chunk : chunk.subarray(0, n))) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}
