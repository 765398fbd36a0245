import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openNodeSession } from '../../../src/host/nodeSession';
import { Session } from '../../../src/host/session';
import type { JsonObject } from '../../../src/shared/json';
import type { Tool } from '../../../src/shared/toolContract';
import type { FakeToolCall } from '../../support/fakeTools';
import { fakeTool } from '../../support/fakeTools';
import { filesystemServer, writeMcpConfig } from '../../support/mcpFixtures';
import { isAlive, waitFor } from '../../support/processes';

const TOKEN = `ghp_${'A1b2C3d4'.repeat(5).slice(0, 36)}`;
const ENV_TEXT = 'DATABASE_PASSWORD=hunter2-do-not-leak\n';

describe('external tools are held to the workspace tools\' rules by the session', function () {
  this.timeout(60_000);
  let repo: string;

  before(async () => {
    repo = await realpath(await mkdtemp(path.join(tmpdir(), 'llm-compiler-guard-')));
    await mkdir(path.join(repo, 'docs'));
    await mkdir(path.join(repo, '.azure'));
    await writeFile(path.join(repo, '.env'), ENV_TEXT);
    await writeFile(path.join(repo, '.azure', 'prod.txt'), 'a secret\n');
    await writeFile(path.join(repo, 'docs', 'a.md'), '# Doc A\nThe answer is 42.\n');
    await writeFile(path.join(repo, 'docs', 'token.md'), `deploy with ${TOKEN}\n`);
    await symlink(path.join(repo, '.env'), path.join(repo, 'docs', 'settings.txt'));
  });

  after(async () => {
    if (repo) await rm(repo, { recursive: true, force: true });
  });

  function external(name: string, calls: FakeToolCall[], answer = (q: string) => ({ text: `found ${q}` })): Tool {
    const tool = fakeTool(name, { calls, answer });
    return { ...tool, params: [
        { name: 'query', schema: { type: 'string' }, description: '' },
        { name: 'more', schema: { type: 'object' }, optional: true, description: '' },
      ], origin: { kind: 'mcp', name: 'notes' } };
  }

  async function call(session: Session, name: string, args: JsonObject) {
    return session.callTool(name, args, { roots: [repo], signal: new AbortController().signal });
  }

  it('withholds keys and tokens from what an external tool returns, in its text and its value', async () => {
    const calls: FakeToolCall[] = [];
    const tool = { ...external('notes_find', calls), run: async () => ({ text: `the token is ${TOKEN}`, value: { token: TOKEN } }) };
    const session = new Session({ sources: [{ name: 'mcp', tools: () => [tool] }] });
    const record = await call(session, 'notes_find', { query: 'token' });
    assert.equal(record.status, 'ok', record.error?.message);
    assert.ok(!record.text.includes(TOKEN), record.text);
    assert.ok(!JSON.stringify(record.value).includes(TOKEN), JSON.stringify(record.value));
    assert.match(record.text, /Withheld from this output/);
  });

  it('refuses, before the tool is called, an argument naming a protected path: absolute, file: URL, relative, a folder, nested, through a link', async () => {
    const calls: FakeToolCall[] = [];
    const session = new Session({ sources: [{ name: 'mcp', tools: () => [external('notes_find', calls)] }] });
    const refused: JsonObject[] = [
      { query: path.join(repo, '.env') },
      { query: pathToFileURL(path.join(repo, '.env')).href },
      { query: '.env' },
      { query: path.join(repo, '.azure') },
      { query: path.join(repo, '.git', 'config') },
      { query: 'docs/settings.txt' },
      { query: 'x', more: { paths: ['docs/a.md', path.join(repo, '.azure', 'prod.txt')] } },
    ];
    for (const args of refused) {
      const record = await call(session, 'notes_find', args);
      assert.equal(record.status, 'error', JSON.stringify(args));
      assert.equal(record.error?.reason, 'protected-path', JSON.stringify(args));
      assert.match(record.error!.message, /refused: .* the tools never read it/, JSON.stringify(args));
    }
    assert.equal(calls.length, 0, 'the tool was never called');
  });

  it('lets through paths the tools may read, words that name no file, and paths outside the workspace', async () => {
    const calls: FakeToolCall[] = [];
    const session = new Session({ sources: [{ name: 'mcp', tools: () => [external('notes_find', calls)] }] });
    for (const query of [path.join(repo, 'docs', 'a.md'), 'docs/a.md', 'credentials', '.env of the staging box', '/etc/hostname']) {
      const record = await call(session, 'notes_find', { query });
      assert.equal(record.status, 'ok', `${query}: ${record.error?.message}`);
    }
    assert.equal(calls.length, 5);
  });

  it('refuses paths the user protects beyond the built-in rules, as the globs are at each question', async () => {
    const calls: FakeToolCall[] = [];
    const session = new Session({ sources: [{ name: 'mcp', tools: () => [external('notes_find', calls)] }], protectedGlobs: ['docs/a.md'] });
    const record = await call(session, 'notes_find', { query: 'docs/a.md' });
    assert.equal(record.error?.reason, 'protected-path');
    assert.equal(calls.length, 0);
    let globs: string[] = [];
    const changing = new Session({ sources: [{ name: 'mcp', tools: () => [external('notes_find', calls)] }], protectedGlobs: () => globs });
    assert.equal((await call(changing, 'notes_find', { query: 'docs/a.md' })).status, 'ok');
    globs = ['docs/*.md'];
    assert.equal((await call(changing, 'notes_find', { query: 'docs/a.md' })).error?.reason, 'protected-path', 'the globs as they are at the question');
    assert.equal(calls.length, 1);
  });

  it('leaves the workspace tools as they are', async () => {
    const grep = fakeTool('grep');
    const session = new Session({ sources: [{ name: 'workspace', tools: () => [grep] }] });
    assert.equal((await session.tools(new AbortController().signal)).get('grep'), grep);
  });

  it('with server-filesystem: <root>/.env and a link to it are refused, a token in a readable file is withheld, a readable file is read', async () => {
    const config = await writeMcpConfig(path.join(repo, 'docs', 'mcp.json'), { fs: filesystemServer() });
    const opened = await openNodeSession({ mcpConfigs: [config], root: repo, env: {}, signal: new AbortController().signal });
    assert.ok(!('problem' in opened), 'problem' in opened ? opened.problem : '');
    const { session, pids } = opened;
    try {
      for (const file of [path.join(repo, '.env'), path.join(repo, 'docs', 'settings.txt')]) {
        const record = await call(session, 'fs_read_text_file', { path: file });
        assert.equal(record.error?.reason, 'protected-path', `${file}: ${record.status} ${record.text}`);
        assert.ok(!record.text.includes('hunter2') && !record.error!.message.includes('hunter2'));
      }
      const listing = await call(session, 'fs_list_directory', { path: path.join(repo, '.azure') });
      assert.equal(listing.error?.reason, 'protected-path', listing.text);

      const token = await call(session, 'fs_read_text_file', { path: path.join(repo, 'docs', 'token.md') });
      assert.equal(token.status, 'ok', token.error?.message);
      assert.ok(!token.text.includes(TOKEN), token.text);
      assert.match(token.text, /deploy with \[withheld/);

      const doc = await call(session, 'fs_read_text_file', { path: path.join(repo, 'docs', 'a.md') });
      assert.equal(doc.status, 'ok', doc.error?.message);
      assert.ok(doc.text.includes(await readFile(path.join(repo, 'docs', 'a.md'), 'utf8')), doc.text);
    } finally {
      await session.close();
      assert.ok(await waitFor(() => [...pids.values()].every((pid) => !isAlive(pid)), 5_000), 'the server ended with the session');
    }
  });
});
