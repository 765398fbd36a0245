import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { END_OF_PLAN } from '../../../src/core/plan/stopMarkers';
import type { ExternalToolsReport } from '../../../src/shared/externalTools';
import type { CompilerEvent, EventOf } from '../../../src/shared/runEvents';
import { buildCli, runCli } from '../../support/builtCli';
import { everythingServer, filesystemServer, fixtureServer, writeMcpConfig } from '../../support/mcpFixtures';
import { startMcpServer } from '../../support/mcpClient';
import type { OpenAITestServer } from '../../support/modelServer/openaiTestServer';
import { startOpenAITestServer } from '../../support/modelServer/openaiTestServer';
import type { Reply, TestChatRequest } from '../../support/modelServer/testServerScript';
import { canInspectProcesses, childrenOf, isAlive, waitFor } from '../../support/processes';
import { skipBecause } from '../../support/skips';

const PLAN = [
  'Thought: Two slow operations, a sum and a file, all at once.',
  '1. everything_trigger_long_running_operation(duration=2, steps=2)',
  '2. everything_trigger_long_running_operation(duration=2, steps=1)',
  '3. everything_get_sum(a=2, b=40)',
  '4. fs_read_text_file(path="docs/a.md")',
  '5. fs_write_file(path="docs/b.md", content="written")',
  '6. grep("answer", glob="docs/**")',
  '7. everything_trigger_long_running_operation(duration=2, steps=2)',
  'join()',
  END_OF_PLAN,
].join('\n');
const FINISH = 'Thought: Enough.\nAction: Finish(The answer is 42: docs/a.md:2.)';

function reply(request: TestChatRequest): Reply {
  return request.stop.includes(END_OF_PLAN) ? PLAN : FINISH;
}

/** The MCP servers a CLI process started (its `node` children), once `count` of them are up. */
async function serverPids(child: ChildProcess, count: number): Promise<number[]> {
  let pids: number[] = [];
  await waitFor(() => (pids = childrenOf(child.pid!).filter((c) => c.command === 'node').map((c) => c.pid)).length >= count, 20_000, 20);
  return pids;
}

describe('llm-compiler ask and mcp with --mcp-config (built bundle, real MCP servers, loopback model server)', function () {
  this.timeout(120_000);
  let server: OpenAITestServer;
  let repo: string;
  let config: string;

  before(async function () {
    if (!canInspectProcesses) skipBecause(this, 'needs /proc to see the servers the CLI starts');
    await buildCli();
    repo = await realpath(await mkdtemp(path.join(tmpdir(), 'llm-compiler-ask-mcp-')));
    await mkdir(path.join(repo, 'docs'));
    await writeFile(path.join(repo, 'docs', 'a.md'), '# Doc A\nThe answer is 42.\n');
    config = await writeMcpConfig(path.join(repo, 'mcp.json'), { everything: everythingServer(), fs: filesystemServer() });
    server = await startOpenAITestServer({ script: reply });
  });

  after(async () => {
    await server?.close();
    if (repo) await rm(repo, { recursive: true, force: true });
  });

  beforeEach(() => server.setScript(reply));

  const ask = (...extra: string[]) => ['ask', 'What is the answer?', '--cwd', repo, '--base-url', server.url, '--model', 'test-model', '--mcp-config', config, ...extra];

  it('plans over workspace and MCP tools at once: slow calls overlap, results reach the joiner, a held-back tool writes nothing, no server is left', async () => {
    let pids: number[] = [];
    const seen = server.requests.length;
    const result = await runCli(ask('--json'), { onStart: (child) => void serverPids(child, 2).then((p) => (pids = p)) });
    assert.equal(result.code, 0, result.stderr);
    const [reportLine, ...lines] = result.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const report = reportLine as unknown as ExternalToolsReport;
    assert.equal(report.type, 'external-tools');
    assert.ok(report.offered.some((t) => t.name === 'everything_trigger_long_running_operation'));
    assert.ok(report.heldBack.some((t) => t.name === 'fs_write_file'));
    const events = lines.slice(0, -1) as unknown as CompilerEvent[];
    const finished = new Map(events.filter((e): e is EventOf<'task-finished'> => e.type === 'task-finished').map((e) => [e.id, e]));
    const started = new Map(events.filter((e): e is EventOf<'task-started'> => e.type === 'task-started').map((e) => [e.id, e]));
    assert.deepEqual([...finished.keys()].sort(), [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual([1, 2, 3, 4, 6].map((id) => finished.get(id)!.status), ['ok', 'ok', 'ok', 'ok', 'ok']);
    // The two operations take two seconds each and run side by side; the third is the first one again: run once.
    assert.ok(started.get(1)!.t < finished.get(2)!.t && started.get(2)!.t < finished.get(1)!.t, 'the two operations overlap');
    assert.ok(finished.get(1)!.ms >= 1_900 && finished.get(2)!.ms >= 1_900);
    assert.deepEqual([finished.get(7)!.status, finished.get(7)!.cachedFrom], ['cached', 1]);
    assert.deepEqual(started.get(1)!.origin, { kind: 'mcp', name: 'everything' });
    assert.equal(started.get(6)!.origin, undefined, 'grep is a workspace tool');
    // A plan naming a held-back tool: that task is refused before it runs, and nothing is written.
    assert.deepEqual([finished.get(5)!.status, finished.get(5)!.error?.reason], ['error', 'unknown-tool']);
    assert.ok(!existsSync(path.join(repo, 'docs', 'b.md')));
    const joiner = server.requests.slice(seen).at(-1)!.chat!.messages.at(-1)!.content;
    for (const text of ['The sum of 2 and 40 is 42.', 'The answer is 42.', 'Long running operation completed. Duration: 2 seconds, Steps: 2.']) {
      assert.ok(joiner.includes(text), `the joiner reads: ${text}`);
    }
    assert.equal((lines.at(-1) as { answer?: string }).answer, 'The answer is 42: docs/a.md:2.');
    assert.equal(pids.length, 2, 'both servers were running');
    assert.ok(await waitFor(() => pids.every((pid) => !isAlive(pid)), 5_000), 'no server outlives the CLI');
  });

  it('says on stderr which external tools are offered and which are held back, and why', async () => {
    const result = await runCli(ask());
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /MCP server "everything" offers [^\n]*everything_get_sum/);
    assert.match(result.stderr, /MCP server "fs" holds back fs_write_file: marked as not read-only \(--allow-tool fs_write_file offers it\)/);
    assert.match(result.stderr, /▸ 1 everything_trigger_long_running_operation/);
  });

  it('a clash of names, an unreadable configuration or --allow-tool alone: exit 2 naming the problem', async () => {
    const clash = await writeMcpConfig(path.join(repo, 'clash.json'), { calm: fixtureServer() });
    const clashing = await writeMcpConfig(path.join(repo, 'clash2.json'), { read: fixtureServer('--clash') });
    const result = await runCli(['ask', 'q', '--cwd', repo, '--base-url', server.url, '--mcp-config', clash, '--mcp-config', clashing]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /two tools would both be called read_read_file/);
    const missing = await runCli(['ask', 'q', '--cwd', repo, '--mcp-config', path.join(repo, 'nowhere.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--mcp-config .*nowhere\.json cannot be read \(ENOENT\)/);
    const alone = await runCli(['ask', 'q', '--cwd', repo, '--allow-tool', 'fs_*']);
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /--allow-tool offers tools of MCP servers: name their configuration with --mcp-config FILE/);
  });

  for (const [how, signal, expected] of [
    ['the run fails', undefined, 1],
    ['Ctrl-C', 'SIGINT', 130],
    ['SIGTERM', 'SIGTERM', 130],
  ] as const) {
    it(`no server outlives the CLI when ${how}`, async () => {
      server.setScript(() => (signal ? { fault: 'hang' } : { fault: 'model-not-found' }));
      const seen = server.requests.length;
      let pids: number[] = [];
      const result = await runCli(ask(), {
        onStart: (child) =>
          void serverPids(child, 2).then(async (p) => {
            pids = p;
            if (!signal) return;
            await server.waitFor((requests) => requests.length > seen);
            child.kill(signal);
          }),
      });
      assert.equal(result.code, expected, result.stderr);
      assert.equal(pids.length, 2);
      assert.ok(await waitFor(() => pids.every((pid) => !isAlive(pid)), 5_000), 'the servers ended');
    });
  }

  it('a second Ctrl-C does not wait for a server that ignores its end, yet kills it on the way out', async () => {
    const stubborn = await writeMcpConfig(path.join(repo, 'stubborn.json'), { mule: fixtureServer('--stubborn') });
    server.setScript(() => ({ fault: 'hang' }));
    const seen = server.requests.length;
    let pids: number[] = [];
    const result = await runCli(['ask', 'q', '--cwd', repo, '--base-url', server.url, '--mcp-config', stubborn], {
      onStart: (child) =>
        void serverPids(child, 1).then(async (p) => {
          pids = p;
          await server.waitFor((requests) => requests.length > seen);
          child.kill('SIGINT');
          await new Promise((resolve) => setTimeout(resolve, 100));
          child.kill('SIGINT');
        }),
    });
    assert.equal(result.code, 130, result.stderr);
    assert.equal(pids.length, 1);
    assert.ok(await waitFor(() => pids.every((pid) => !isAlive(pid)), 3_000), 'killed at exit');
  });

  it('llm-compiler mcp: its ask plans over the external tools, which it does not list itself; its servers end when its client leaves or on SIGTERM', async () => {
    server.setScript((request) => (request.stop.includes(END_OF_PLAN) ? `1. everything_get_sum(a=1, b=2)\njoin()\n${END_OF_PLAN}` : 'Action: Finish(3.)'));
    for (const ending of ['client leaves', 'SIGTERM'] as const) {
      const session = await startMcpServer(['--cwd', repo, '--base-url', server.url, '--model', 'test-model', '--mcp-config', config]);
      const names = (await session.client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes('grep') && names.includes('ask'));
      assert.ok(!names.some((n) => n.startsWith('everything_') || n.startsWith('fs_')), names.join(', '));
      const pids = childrenOf(session.pid).filter((c) => c.command === 'node').map((c) => c.pid);
      assert.equal(pids.length, 2, session.stderr());
      const answer = await session.client.callTool({ name: 'ask', arguments: { question: 'What is 1 + 2?' } });
      assert.equal((answer.content as Array<{ text: string }>)[0]!.text, '3.');
      assert.match(session.stderr(), /MCP server "everything" offers/);
      if (ending === 'SIGTERM') process.kill(session.pid, 'SIGTERM');
      else await session.close();
      assert.ok(await waitFor(() => !isAlive(session.pid) && pids.every((pid) => !isAlive(pid)), 10_000), `the servers ended (${ending})`);
      await session.close().catch(() => undefined);
    }
  });
});
