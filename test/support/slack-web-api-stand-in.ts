// A real HTTP server on 127.0.0.1 that answers like Slack's Web API for chat.postMessage and
// chat.update (and chat.postEphemeral), with Slack's response shapes (docs.slack.dev, chat.postMessage / chat.update /
// rate limits): `{ ok: true, channel, ts, message }`, HTTP 200 with `{ ok: false, error }` for
// refused calls (channel_not_found, not_in_channel, invalid_auth, token_revoked, msg_too_long,
// invalid_blocks, missing_scope with `needed`, message_not_found), and HTTP 429 with Retry-After
// and `{ ok: false, error: 'ratelimited' }` past a per-channel rate. It keeps the messages, so
// tests read the channel as a person would: parents, their current content, their threads. Faults
// can be injected per call (`faults`): latency, with the call applied when it arrives or when it is
// answered (a call whose client gave up before then is not applied), an answer lost after the call
// was applied, or a refusal that applies nothing.
import * as http from 'http';
import { listenOnLoopback } from './loopback';

/** A scripted answer for the next call: a status and JSON body, or a broken connection. */
export type ApiAnswer = { status?: number; body?: unknown; retryAfter?: string } | 'stall' | 'reset';

/** What goes wrong with one call (see SlackWebApiStandIn.faults). */
export interface Fault {
  /** Milliseconds before the answer. @default 0 */
  readonly delayMs?: number;
  /**
   * When Slack applies the call: as it arrives (the answer alone is late), or as it answers (the
   * default: a slow update lands late, and not at all if its client gave up before).
   */
  readonly applies?: 'on-arrival' | 'on-answer';
  /** The call is applied, then its connection is reset: the client sees a failure of a call that landed. */
  readonly lostAnswer?: boolean;
  /** Refused with this HTTP status (500, 503, 429 with Retry-After 0) and nothing applied. */
  readonly refuse?: number;
}

export interface StoredMessage {
  readonly ts: string;
  readonly channel: string;
  readonly threadTs?: string;
  text: string;
  blocks?: any[];
  /** Every version of the message, oldest first (the first is as posted). */
  readonly history: Array<{ text: string; blocks?: any[] }>;
  readonly token: string;
}

export interface ApiCall {
  readonly method: string;
  readonly authorization?: string;
  readonly contentType?: string;
  readonly body: any;
  readonly at: number;
  /** What the stand-in answered. */
  status?: number;
  answer?: any;
}

export interface ChannelSpec {
  readonly id: string;
  readonly name: string;
  /** The app was invited. @default true */
  readonly member?: boolean;
  readonly archived?: boolean;
}

export interface SlackWebApiOptions {
  readonly channels?: ChannelSpec[];
  /** Tokens Slack accepts. @default ['xoxb-test-token'] */
  readonly tokens?: string[];
  /** Tokens that were revoked. @default none */
  readonly revoked?: string[];
  /** Messages per second per channel before 429 (a token bucket). @default unlimited */
  readonly ratePerChannel?: number;
  /** Bucket size. @default 1 */
  readonly burst?: number;
}

export interface SlackWebApiStandIn {
  /** The API base URL, ending in `/` (what SLACK_API_URL takes). */
  readonly url: string;
  readonly calls: ApiCall[];
  readonly messages: StoredMessage[];
  /** Lines posted with chat.postEphemeral (only their user sees them). */
  readonly ephemerals: Array<{ channel: string; user: string; text: string; ts: string }>;
  /** Modals opened with views.open, in order (the view as sent, with its trigger). */
  readonly views: Array<{ triggerId: string; view: any; id: string }>;
  /** Answers for the next calls of `method` (or of any method with '*'), in order. */
  script(method: string, answers: ApiAnswer[]): void;
  /** Top-level messages of a channel, in posting order. */
  parents(channel: string): StoredMessage[];
  /** Replies in a thread, in posting order. */
  replies(channel: string, threadTs: string): StoredMessage[];
  /** How many calls were answered 429. */
  readonly rateLimited: { total: number };
  /** The fault of each call not scripted (undefined: answered at once, as Slack would). */
  faults?: (method: string, body: any) => Fault | undefined;
  /** Calls being answered (a test waits for none before reading the channel). */
  readonly inFlight: { count: number };
  reset(): void;
  close(): Promise<void>;
}

const MAX_TEXT = 40_000;

export async function startSlackWebApi(options: SlackWebApiOptions = {}): Promise<SlackWebApiStandIn> {
  const channels = new Map<string, ChannelSpec>();
  for (const c of options.channels ?? [{ id: 'C0ALERTS', name: 'alerts' }, { id: 'C0INCIDENTS', name: 'incidents' }]) channels.set(c.id, c);
  const tokens = new Set(options.tokens ?? ['xoxb-test-token']);
  const revoked = new Set(options.revoked ?? []);
  const calls: ApiCall[] = [];
  const messages: StoredMessage[] = [];
  const ephemerals: Array<{ channel: string; user: string; text: string; ts: string }> = [];
  const views: Array<{ triggerId: string; view: any; id: string }> = [];
  const scripts = new Map<string, ApiAnswer[]>();
  const buckets = new Map<string, { tokens: number; at: number }>();
  const rateLimited = { total: 0 };
  // The answers held back by a fault: cleared on close, so a test ends with none pending.
  const held = new Set<NodeJS.Timeout>();
  let clock = 1_763_000_000_000;

  const nextTs = () => {
    clock += 1;
    return `${Math.floor(clock / 1000)}.${String((clock % 1000) * 1000).padStart(6, '0')}`;
  };
  const resolveChannel = (raw: unknown): ChannelSpec | undefined => {
    if (typeof raw !== 'string') return undefined;
    if (channels.has(raw)) return channels.get(raw);
    const name = raw.replace(/^#/, '');
    return [...channels.values()].find((c) => c.name === name);
  };
  const limited = (channel: string): number | undefined => {
    if (!options.ratePerChannel) return undefined;
    const burst = options.burst ?? 1;
    const now = Date.now();
    const b = buckets.get(channel) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * options.ratePerChannel);
    b.at = now;
    buckets.set(channel, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return undefined;
    }
    // Slack says when in whole seconds.
    return Math.max(1, Math.ceil((1 - b.tokens) / options.ratePerChannel));
  };

  function answerFor(method: string, token: string | undefined, body: any): { status: number; body: unknown; retryAfter?: string } {
    if (!token) return { status: 200, body: { ok: false, error: 'not_authed' } };
    if (revoked.has(token)) return { status: 200, body: { ok: false, error: 'token_revoked' } };
    if (!tokens.has(token)) return { status: 200, body: { ok: false, error: 'invalid_auth' } };
    if (typeof body !== 'object' || body === null) return { status: 200, body: { ok: false, error: 'invalid_arguments' } };
    if (method === 'views.open') return openView(body);
    const channel = resolveChannel(body.channel);
    if (!channel) return { status: 200, body: { ok: false, error: 'channel_not_found' } };
    if (channel.archived) return { status: 200, body: { ok: false, error: method === 'chat.update' ? 'is_inactive' : 'is_archived' } };
    if (channel.member === false) return { status: 200, body: { ok: false, error: 'not_in_channel' } };
    if (typeof body.text !== 'string' || body.text === '') {
      if (!Array.isArray(body.blocks) || body.blocks.length === 0) return { status: 200, body: { ok: false, error: 'no_text' } };
    }
    if (typeof body.text === 'string' && body.text.length > MAX_TEXT) return { status: 200, body: { ok: false, error: 'msg_too_long' } };
    if (body.blocks !== undefined && (!Array.isArray(body.blocks) || body.blocks.length > 50 || body.blocks.some((b: any) => typeof b?.type !== 'string'))) {
      return { status: 200, body: { ok: false, error: 'invalid_blocks', errors: ['must provide an array of at most 50 valid blocks'] } };
    }
    const wait = limited(channel.id);
    if (wait !== undefined) {
      rateLimited.total++;
      return { status: 429, body: { ok: false, error: 'ratelimited' }, retryAfter: String(wait) };
    }
    if (method === 'chat.postMessage') {
      if (body.thread_ts !== undefined && !/^\d+\.\d+$/.test(String(body.thread_ts))) {
        return { status: 200, body: { ok: false, error: 'invalid_thread_ts', response_metadata: { messages: [`[ERROR] ${body.thread_ts} is not a valid thread_ts`] } } };
      }
      // A well-formed ts of no message is taken, as Slack does: the reply lands in a thread nobody sees.
      const ts = nextTs();
      const m: StoredMessage = { ts, channel: channel.id, threadTs: body.thread_ts, text: body.text ?? '', blocks: body.blocks, history: [{ text: body.text ?? '', blocks: body.blocks }], token };
      messages.push(m);
      return {
        status: 200,
        body: {
          ok: true, channel: channel.id, ts,
          message: { type: 'message', subtype: 'bot_message', text: m.text, bot_id: 'B0STANDIN', ts, ...(m.threadTs ? { thread_ts: m.threadTs } : {}), blocks: m.blocks },
        },
      };
    }
    if (method === 'chat.postEphemeral') {
      if (typeof body.user !== 'string' || !/^[UW][A-Z0-9]+$/.test(body.user)) return { status: 200, body: { ok: false, error: 'user_not_found' } };
      const ts = nextTs();
      ephemerals.push({ channel: channel.id, user: body.user, text: body.text ?? '', ts });
      return { status: 200, body: { ok: true, message_ts: ts } };
    }
    if (method === 'chat.update') {
      const m = messages.find((x) => x.channel === channel.id && x.ts === body.ts);
      if (!m) return { status: 200, body: { ok: false, error: 'message_not_found' } };
      if (m.token !== token) return { status: 200, body: { ok: false, error: 'cant_update_message' } };
      m.text = body.text ?? m.text;
      m.blocks = body.blocks;
      m.history.push({ text: m.text, blocks: m.blocks });
      return { status: 200, body: { ok: true, channel: channel.id, ts: m.ts, text: m.text, message: { text: m.text, bot_id: 'B0STANDIN', blocks: m.blocks } } };
    }
    return { status: 200, body: { ok: false, error: 'unknown_method' } };
  }

  /** views.open as Slack checks it (docs.slack.dev, views.open and the view object): a trigger, a modal within the limits. */
  function openView(body: any): { status: number; body: unknown } {
    if (typeof body.trigger_id !== 'string' || !/^\d+\.\d+\.[0-9a-f]+$/.test(body.trigger_id)) return { status: 200, body: { ok: false, error: 'invalid_trigger_id' } };
    const v = body.view;
    const plain = (t: any, max: number) => t?.type === 'plain_text' && typeof t.text === 'string' && t.text.length > 0 && t.text.length <= max;
    const inputs = Array.isArray(v?.blocks) ? v.blocks.filter((b: any) => b?.type === 'input') : [];
    const problems = [
      v?.type !== 'modal' && 'view.type must be modal',
      !plain(v?.title, 24) && 'view.title must be plain_text of at most 24 characters',
      (!Array.isArray(v?.blocks) || v.blocks.length === 0 || v.blocks.length > 100) && 'view.blocks must hold 1 to 100 blocks',
      inputs.length > 0 && !plain(v?.submit, 24) && 'a view with input blocks needs a submit of at most 24 characters',
      v?.close !== undefined && !plain(v.close, 24) && 'view.close must be plain_text of at most 24 characters',
      typeof v?.private_metadata === 'string' && v.private_metadata.length > 3000 && 'view.private_metadata over 3000 characters',
      typeof v?.callback_id === 'string' && v.callback_id.length > 255 && 'view.callback_id over 255 characters',
      inputs.some((b: any) => !plain(b.label, 2000) || typeof b.element?.action_id !== 'string') && 'an input block needs a label and an element with an action_id',
    ].filter(Boolean);
    if (problems.length > 0) return { status: 200, body: { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } } };
    const id = `V${String(views.length + 1).padStart(8, '0')}`;
    views.push({ triggerId: body.trigger_id, view: v, id });
    return { status: 200, body: { ok: true, view: { id, ...v, state: { values: {} } } } };
  }
  const api: { -readonly [K in keyof SlackWebApiStandIn]: SlackWebApiStandIn[K] } = {
    url: '',
    calls,
    messages,
    ephemerals,
    views,
    rateLimited,
    faults: undefined,
    inFlight: { count: 0 },
    script(method, answers) {
      scripts.set(method, [...answers]);
    },
    parents: (channel) => messages.filter((m) => m.channel === channel && !m.threadTs),
    replies: (channel, threadTs) => messages.filter((m) => m.channel === channel && m.threadTs === threadTs),
    reset() {
      calls.length = 0;
      messages.length = 0;
      ephemerals.length = 0;
      views.length = 0;
      scripts.clear();
      buckets.clear();
      rateLimited.total = 0;
      api.faults = undefined;
    },
    close: async () => undefined,
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').replace(/^\//, '');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: any = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // keep the raw text: the answer below says invalid_arguments
      }
      const call: ApiCall = { method, authorization: req.headers.authorization, contentType: req.headers['content-type'], body, at: Date.now() };
      calls.push(call);
      const queue = scripts.get(method)?.length ? scripts.get(method)! : scripts.get('*') ?? [];
      const scripted = queue.shift();
      if (scripted === 'stall') return;
      if (scripted === 'reset') {
        req.socket.destroy();
        return;
      }
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const send = (a: { status: number; body: unknown; retryAfter?: string }, scripted: boolean) => {
        call.status = a.status;
        // Slack warns (and still answers) when the request names no charset.
        const answer = !scripted && typeof a.body === 'object' && a.body !== null && !/charset=/i.test(call.contentType ?? '')
          ? { ...(a.body as object), warning: 'missing_charset', response_metadata: { warnings: ['missing_charset'] } }
          : a.body;
        call.answer = answer;
        const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
        if (a.retryAfter !== undefined) headers['retry-after'] = a.retryAfter;
        res.writeHead(a.status, headers);
        res.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
      };
      if (scripted) return send({ status: scripted.status ?? 200, body: scripted.body ?? { ok: true }, retryAfter: scripted.retryAfter }, true);
      const fault = api.faults?.(method, body);
      if (!fault) return send(answerFor(method, token, body), false);
      api.inFlight.count++;
      const gone = () => res.destroyed || req.socket.destroyed;
      const early = fault.refuse === undefined && fault.applies === 'on-arrival' ? answerFor(method, token, body) : undefined;
      const timer = setTimeout(() => {
        held.delete(timer);
        api.inFlight.count--;
        if (fault.refuse !== undefined) {
          if (!gone()) send({ status: fault.refuse, body: { ok: false, error: fault.refuse === 429 ? 'ratelimited' : 'internal_error' }, retryAfter: fault.refuse === 429 ? '0' : undefined }, false);
          return;
        }
        // Applied as it is answered: a client that gave up before then took the call with it.
        if (!early && gone()) return;
        const a = early ?? answerFor(method, token, body);
        if (fault.lostAnswer || gone()) {
          req.socket.destroy();
          return;
        }
        send(a, false);
      }, fault.delayMs ?? 0);
      held.add(timer);
    });
  });
  const loopback = await listenOnLoopback(server);
  api.url = `${loopback.url}/api/`;
  api.close = () => {
    for (const t of held) clearTimeout(t);
    return loopback.close();
  };
  return api;
}
