// A real HTTP server on 127.0.0.1 that answers like a Slack incoming webhook, scripted per request.
import * as http from 'http';
import { listenOnLoopback } from './loopback';

/** How the stand-in answers one request. */
export type Answer =
  | { status: number; body?: string; retryAfter?: string; location?: string }
  | 'ok'
  | 'stall' // never answers
  | 'reset'; // drops the connection

export interface Received {
  readonly method: string;
  readonly path: string;
  readonly contentType?: string;
  readonly body: any;
  readonly at: number;
}

export interface SlackStandIn {
  readonly url: string;
  readonly received: Received[];
  /** Answers for the next requests, in order; after them every request gets `then`. */
  script(answers: Answer[], then?: Answer): void;
  close(): Promise<void>;
}

export async function startSlackStandIn(): Promise<SlackStandIn> {
  let queue: Answer[] = [];
  let fallback: Answer = 'ok';
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // keep the raw text
      }
      received.push({ method: req.method ?? '', path: req.url ?? '', contentType: req.headers['content-type'], body, at: Date.now() });
      const answer = queue.length > 0 ? queue.shift()! : fallback;
      if (answer === 'stall') return;
      if (answer === 'reset') {
        req.socket.destroy();
        return;
      }
      const a = answer === 'ok' ? { status: 200, body: 'ok' } : answer;
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      if (a.retryAfter !== undefined) headers['retry-after'] = a.retryAfter;
      if (a.location !== undefined) headers.location = a.location;
      res.writeHead(a.status, headers);
      res.end(a.body ?? '');
    });
  });
  const loopback = await listenOnLoopback(server);
  return {
    url: loopback.url,
    received,
    script(answers, then = 'ok') {
      queue = [...answers];
      fallback = then;
    },
    close: loopback.close,
  };
}
