import assert from 'node:assert/strict';
import { Session } from '../../../src/host/session';
import type { ToolSource } from '../../../src/host/toolSource';
import type { Tool } from '../../../src/shared/toolContract';
import { fakeTool } from '../../support/fakeTools';
import { createScriptedModel } from '../../support/scriptedModel';

const FINISH = 'Thought: Seen.\nAction: Finish(Found it.)';

/** A source that counts how often it was asked and closed, offering whatever `offer` holds at the time. */
function source(name: string, offer: Tool[]): ToolSource & { asked: number; closed: number; offer: Tool[] } {
  const s = {
    name,
    asked: 0,
    closed: 0,
    offer,
    tools: () => {
      s.asked++;
      return s.offer;
    },
    close: async () => {
      s.closed++;
    },
  };
  return s;
}

describe('a session: one place where tool sources, results and questions meet', () => {
  it('offers the tools of every source, the first source first; a name already taken is left out', async () => {
    const workspace = source('workspace', [fakeTool('grep'), fakeTool('read_file')]);
    const outside = source('mcp:notes', [fakeTool('grep'), fakeTool('search_notes')]);
    const session = new Session({ sources: [workspace, outside] });
    const tools = await session.tools(new AbortController().signal);
    assert.deepEqual(tools.names, ['grep', 'read_file', 'search_notes']);
    assert.equal(tools.get('grep'), workspace.offer[0], 'the workspace keeps its own grep');
  });

  it('asks its sources again at every question, so a source may change what it offers', async () => {
    const outside = source('mcp:notes', [fakeTool('search_notes')]);
    const session = new Session({ sources: [source('workspace', [fakeTool('grep')]), outside] });
    const model = createScriptedModel(() => `1. search_notes("retry")\njoin()\n<END_OF_PLAN>`);
    const joiner = createScriptedModel(() => FINISH);
    const first = await session.ask({ question: 'q', models: { model, joinerModel: joiner }, roots: ['/tmp'] });
    assert.equal(first.outcome, 'answered');
    assert.equal(first.tasks.ok, 1, 'the outside tool ran as a task');
    outside.offer = [fakeTool('search_wiki')];
    assert.deepEqual((await session.tools(new AbortController().signal)).names, ['grep', 'search_wiki']);
    assert.ok(outside.asked >= 2);
  });

  it('closes every source once when it ends, and takes no question after', async () => {
    const a = source('workspace', [fakeTool('grep')]);
    const b = source('mcp:notes', []);
    const session = new Session({ sources: [a, b] });
    await session.close();
    await session.close();
    assert.deepEqual([a.closed, b.closed], [1, 1]);
    await assert.rejects(session.tools(new AbortController().signal), /closed/);
    await assert.rejects(session.ask({ question: 'q', models: { model: createScriptedModel([FINISH]) }, roots: ['/tmp'] }), /closed/);
  });

  it('names each run: the id its caller chose, else a new one', async () => {
    const session = new Session({ sources: [source('workspace', [fakeTool('grep')])] });
    const ask = (runId?: string) =>
      session.ask({ question: 'q', models: { model: createScriptedModel(['join()\n<END_OF_PLAN>', FINISH]) }, roots: ['/tmp'], ...(runId ? { runId } : {}) });
    assert.equal((await ask('run-1')).runId, 'run-1');
    const [x, y] = [await ask(), await ask()];
    assert.notEqual(x.runId, y.runId);
  });

  it('ends a question at its one time limit as a failure that says so, not as a cancellation', async () => {
    const session = new Session({ sources: [source('workspace', [fakeTool('grep')])] });
    const never = createScriptedModel([[{ wait: new Promise(() => undefined) }]]);
    const summary = await session.ask({ question: 'q', models: { model: never }, roots: ['/tmp'], settings: { runTimeoutMs: 100 } });
    assert.equal(summary.outcome, 'failed');
    assert.equal(summary.error?.reason, 'timeout');
    assert.match(summary.error?.message ?? '', /time limit of 0\.1 s/);
  });
});
