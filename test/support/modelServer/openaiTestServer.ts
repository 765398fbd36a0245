// A real OpenAI-compatible chat-completions server on 127.0.0.1 for tests, the benchmark and demos: scripted replies,
// a latency model (time to first token grows with the prompt past its cached prefix, then a fixed token rate), an
// optional prompt-prefix cache, and scripted faults. Its rooms: routes.ts (what it answers, by path), metadata.ts
// (what it says about itself), chatCompletions.ts with chatRequest.ts, chatStream.ts and toolCalls.ts (chat),
// promptTokens.ts (the prompt's tokens as the model's chat template renders them), prefixCache.ts (their cache),
// slots.ts (requests at once), faults.ts (scripted refusals and broken streams).
// Also a standalone process: `npx tsx test/support/modelServer/openaiTestServer.ts --port N --script file.json` prints its URL.
import type { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { sendError } from './http';
import { PrefixCache } from './serving/prefixCache';
import type { PrefixCacheOptions } from './serving/prefixCache';
import type { ChatTemplate } from './serving/promptTokens';
import { handle } from './routes';
import { createServerState } from './serverState';
import type { OpenAITestServerOptions, RecordedRequest, ServerEvents } from './serverState';
import { ZERO_LATENCY, compileScript } from './testServerScript';
import type { JsonScript, LatencyModel, Reply, Script } from './testServerScript';
import type { ServerContext } from './context/contextWindow';

export interface OpenAITestServer {
  /** Base URL ending in `/v1`. */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  /** Emits `request` when a request arrives, `admit` when a slot takes up a chat request and `end` when its response ends. */
  readonly events: EventEmitter<ServerEvents>;
  setScript(script: Script): void;
  setLatency(latency: Partial<LatencyModel>): void;
  /** Replaces the prefix cache with an empty one (undefined: no caching). */
  setPrefixCache(options: PrefixCacheOptions | undefined): void;
  /** How the model reads requests from now on. */
  setChatTemplate(template: ChatTemplate): void;
  /** Chat requests processed at once from now on (undefined: unlimited); requests already admitted keep their slots. */
  setSlots(slots: number | undefined): void;
  /** The context window from now on, as a kind of server keeps it (undefined: none, and no metadata). */
  setContext(context: ServerContext | undefined): void;
  /** Resolves once `predicate(requests)` holds, checked now and after every request, admission and response end. */
  waitFor(predicate: (requests: readonly RecordedRequest[]) => boolean): Promise<void>;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

export async function startOpenAITestServer(options: OpenAITestServerOptions = {}): Promise<OpenAITestServer> {
  const state = createServerState(options);
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    handle(state, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, { message: String(error), type: 'server_error' });
      else res.destroy();
    });
  });
  // Node closes idle keep-alive sockets after 5 s; a client reusing one at that moment gets ECONNRESET. Hosted APIs
  // keep connections far longer, so the client's own idle timeout ends them first, as it would there.
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const { requests, events } = state;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    events,
    setScript(next) {
      state.script = compileScript(next);
    },
    setLatency(next) {
      state.latency = { ...ZERO_LATENCY, ...next };
    },
    setPrefixCache(next) {
      state.cache = next ? new PrefixCache(next) : undefined;
    },
    setChatTemplate(next) {
      state.chatTemplate = next;
    },
    setSlots(next) {
      state.slots.setLimit(next);
    },
    setContext(next) {
      state.context = next;
    },
    waitFor(predicate) {
      return new Promise((resolve) => {
        const check = () => {
          if (!predicate(requests)) return;
          events.off('request', check);
          events.off('admit', check);
          events.off('end', check);
          resolve();
        };
        events.on('request', check);
        events.on('admit', check);
        events.on('end', check);
        check();
      });
    },
    async close() {
      state.closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Standalone process

/** The JSON file of `--script`: a reply list, or a JSON script with the server's settings. */
export type ScriptFile =
  | Reply[]
  | (JsonScript & Pick<OpenAITestServerOptions, 'latency' | 'prefixCache' | 'chatTemplate' | 'reportUsage' | 'models' | 'apiKey' | 'slots' | 'context'>);

async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const scriptPath = arg('--script');
  const file: ScriptFile = scriptPath ? (JSON.parse(readFileSync(scriptPath, 'utf8')) as ScriptFile) : [];
  const settings = Array.isArray(file) ? {} : file;
  const script: Script = Array.isArray(file) ? file : { replies: file.replies, rules: file.rules, fallback: file.fallback };
  const server = await startOpenAITestServer({
    script,
    latency: settings.latency,
    prefixCache: settings.prefixCache,
    chatTemplate: settings.chatTemplate,
    reportUsage: settings.reportUsage,
    models: settings.models,
    apiKey: settings.apiKey,
    slots: settings.slots,
    context: settings.context,
    port: Number(arg('--port') ?? 0),
  });
  if (argv.includes('--verbose')) {
    server.events.on('end', (r) => process.stderr.write(`${r.method} ${r.path} ${r.status ?? ''} ${r.end ?? ''}\n`));
  }
  process.stdout.write(`${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

// Bundled into the benchmark, `require.main === module` holds for the bundle too: check the script really is this file.
if (require.main === module && /openaiTestServer\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
