// Replays recorded runs into the task-graph webview in headless chromium and checks what it draws and posts.
// Screenshots land in test-results/webview/. Skipped when chromium is missing (LLMC_CHROMIUM overrides the path).
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { CompilerEvent } from '../../src/shared/runEvents';
import type { PanelPage } from './panelHarness';
import { chromiumAvailable, chromiumPath, fakeRun, launchChromium, openPanel, webviewBundle } from './panelHarness';
import { HOSTILE_ANSWER, cachedRun, externalRun, failureRun, functionCallingRun, hostileAnswerRun, liveRun, parallelRun, replanRun, stressRun } from './runFixtures';
import { skipBecause } from '../support/skips';

const count = (p: PanelPage, selector: string) => p.page.locator(selector).count();

describe('task-graph webview', function () {
  this.timeout(60_000);
  let browser: Browser;
  const pages: PanelPage[] = [];

  before(async function () {
    if (!chromiumAvailable()) skipBecause(this, `Chromium is not at ${chromiumPath}: apt-get install chromium, or set LLMC_CHROMIUM to its path`);
    await webviewBundle();
    browser = await launchChromium();
  });

  afterEach(async () => {
    for (const p of pages.splice(0)) {
      assert.deepEqual(await p.cspViolations(), [], 'no CSP violations');
      await p.release();
    }
  });

  after(async () => {
    await browser?.close();
  });

  const open = async (options: Parameters<typeof openPanel>[1]) => {
    const p = await openPanel(browser, options);
    pages.push(p);
    return p;
  };

  it('draws three parallel tasks, a dependent one and the joiner, with a timeline', async () => {
    const p = await open({ runs: [fakeRun(parallelRun())] });
    await p.settled(5);
    assert.equal(await count(p, 'svg.graph .node.task'), 4);
    assert.equal(await count(p, 'svg.graph .node.task.state-ok'), 4);
    assert.equal(await count(p, 'svg.graph .node.join.join-answered'), 1);
    assert.equal(await count(p, 'svg.graph path.edge-dep[data-edge="1>4"]'), 1, 'the $1 reference is an edge');
    assert.equal(await count(p, 'svg.graph path.edge-join'), 3, 'the three results nobody else uses go to the joiner');
    assert.equal(await count(p, 'svg.graph path.edge[visibility="hidden"]'), 0);
    // Planner, four tasks, joiner: one row each, in time order.
    const labels = await p.page.locator('svg.timeline .row-label').allTextContents();
    assert.deepEqual(labels, ['Planner r1', '#1 search_text', '#2 search_text', '#3 find_symbol', '#4 read_file', 'Joiner r1']);
    assert.equal(await count(p, 'svg.timeline .bar-task .bar-run'), 4);
    assert.equal(await count(p, 'svg.timeline .bar-task .bar-wait'), 1, '#4 waited for #1');
    const totals = await p.page.locator('.timeline-totals').textContent();
    assert.match(totals!, /sequential 2\.4 s → actual 1\.3 s \(1\.8× overlap\)/);
    assert.match(totals!, /Max parallel 3/);
    const posted = await p.posted();
    assert.deepEqual(posted.slice(0, 2), [{ type: 'ready' }, { type: 'selectRun', runId: 'run-parallel' }]);
    await p.screenshot('parallel');
  });

  it('shows a task in the details pane on click and opens its locations', async () => {
    const p = await open({ runs: [fakeRun(parallelRun())] });
    await p.settled(5);
    await p.page.locator('svg.graph [data-key="t4"]').click();
    const details = p.page.locator('.details-pane');
    await details.locator('h2', { hasText: '#4 read_file' }).waitFor();
    const text = await details.textContent();
    assert.match(text!, /read_file\(\$1, start_line=1, end_line=80\)/, 'arguments as written');
    assert.match(text!, /path = "src\/net\/retry\.ts"/, 'arguments resolved');
    assert.match(text!, /maxRetries: 3/, 'result text');
    assert.match(text!, /took 449 ms/);
    assert.equal(await count(p, 'svg.graph .node.selected'), 1);
    assert.equal(await count(p, 'svg.graph path.edge.active'), 2, 'the selected node’s edges stand out');
    await p.screenshot('parallel-details');

    await details.locator('[data-location="0"]').click();
    const posted = await p.posted();
    assert.deepEqual(posted.at(-1), { type: 'openLocation', location: { path: '/work/demo/src/net/retry.ts', relPath: 'src/net/retry.ts', line: 1 } });
    assert.equal((await p.savedState())?.selected, 't4', 'the selection survives a reload');

    // A dependency link selects that task; the close button goes back to the run.
    await details.locator('[data-select="t1"]').first().click();
    await details.locator('h2', { hasText: '#1 search_text' }).waitFor();
    await details.locator('button.close').click();
    await details.locator('h2', { hasText: 'Run' }).waitFor();
    assert.match((await details.textContent())!, /3 retries, 250 ms backoff/, 'the run view shows the answer');
  });

  it('names the source of each external task in the graph, its details and the timeline, with its duration', async () => {
    const p = await open({ runs: [fakeRun(externalRun())] });
    await p.settled(5);
    assert.equal(await count(p, 'svg.graph .node.task.external'), 3);
    const sub = (key: string) => p.page.locator(`svg.graph [data-key="${key}"] .node-sub`).textContent();
    assert.equal(await sub('t1'), '"retryPolicy"', 'a workspace task shows its arguments alone');
    assert.match((await sub('t2'))!, /^acme\.tracker · query="/);
    assert.equal(await sub('t4'), 'docs · q="retry policy"');
    assert.equal(await p.page.locator('svg.graph [data-key="t2"]').getAttribute('aria-label'), 'Task 2 acme_issues via extension acme.tracker, ok');
    assert.equal(await p.page.locator('svg.graph [data-key="t2"] .node-side').textContent(), '1.0 s ✓');
    // The two calls of the extension's tool overlap on the timeline.
    const bar = async (key: string) => p.page.locator(`svg.timeline [data-key="${key}"] .bar-run`).evaluate((r) => [Number(r.getAttribute('x')), Number(r.getAttribute('width'))]);
    const [x2, w2] = await bar('t2');
    const [x3, w3] = await bar('t3');
    assert.ok(x3! < x2! + w2! && x2! < x3! + w3!, 'the bars of #2 and #3 overlap');
    const titles = await p.page.locator('svg.timeline .bar-task title').allTextContents();
    assert.ok(titles.includes('#4 mcp_docs_search via MCP server docs: error · 1.3 s (waited 1 ms)'), JSON.stringify(titles));

    await p.page.locator('svg.graph [data-key="t3"]').click();
    const details = p.page.locator('.details-pane');
    await details.locator('h2', { hasText: '#3 acme_issues' }).waitFor();
    const text = (await details.textContent())!;
    assert.match(text, /Sourceextension acme\.tracker/);
    assert.match(text, /took 999 ms/);
    await p.page.locator('svg.graph [data-key="t1"]').click();
    await details.locator('h2', { hasText: '#1 search_text' }).waitFor();
    assert.doesNotMatch((await details.textContent())!, /Source/, 'a workspace task names no source');
    await p.screenshot('external');
  });

  it('shows an answer inertly: nothing loads or runs, only citations of files the run read are links', async () => {
    const p = await open({ runs: [fakeRun(hostileAnswerRun())] });
    await p.settled(3);
    const answer = p.page.locator('.details-pane pre.answer');
    await answer.waitFor();
    assert.equal(await answer.textContent(), HOSTILE_ANSWER, 'the answer is shown as written, as text');
    const created = await p.page.evaluate(() => document.querySelectorAll('img, iframe, object, embed, video, audio, .details-pane script, .details-pane style').length);
    assert.equal(created, 0, 'no element the answer describes exists');
    // The citations of files tasks reported are links; the link markup, the HTML anchor, the bare URL and the
    // citation of a file no task saw are text.
    const links = await answer.locator('a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    assert.deepEqual(links, [
      ['`src/net/retry.ts:8`', '#'],
      ['src/net/retry.ts:9-11', '#'],
    ]);
    await answer.locator('a').nth(1).click();
    assert.deepEqual((await p.posted()).at(-1), { type: 'openLocation', location: { path: '/work/demo/src/net/retry.ts', relPath: 'src/net/retry.ts', line: 9, endLine: 11 } });
    await answer.locator('a').first().click();
    assert.deepEqual((await p.posted()).at(-1), { type: 'openLocation', location: { path: '/work/demo/src/net/retry.ts', relPath: 'src/net/retry.ts', line: 8 } });
    // Whatever the answer holds, the page asked for nothing but its own files.
    await p.page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
    assert.deepEqual(p.requests().filter((u) => !u.startsWith('https://webview.test/')), []);
    assert.ok(!(await p.page.evaluate(() => document.documentElement.outerHTML)).includes('<img src="https://attacker'), 'no markup from the answer');
  });

  it('colors a failure, the tasks it skipped and a cached result', async () => {
    const p = await open({ runs: [fakeRun(failureRun())] });
    await p.settled(6);
    assert.equal(await count(p, 'svg.graph .node.state-error'), 1);
    assert.equal(await count(p, 'svg.graph .node.state-skipped'), 2);
    assert.equal(await count(p, 'svg.graph .node.state-cached'), 1);
    assert.equal(await count(p, 'svg.graph path.edge.failed'), 3, 'edges out of failed and skipped tasks, the joiner’s included');
    assert.equal(await count(p, 'svg.timeline .bar-tick'), 3, 'tasks that never ran are ticks');
    await p.page.locator('svg.graph [data-key="t3"]').click();
    await p.page.locator('.details-pane h2', { hasText: '#3 search_text' }).waitFor();
    const text = await p.page.locator('.details-pane').textContent();
    assert.match(text!, /dependency-failed/);
    assert.match(text!, /skipped because task 2 \(read_file\) failed/);
    await p.screenshot('failure');
  });

  it('sets replanned rounds apart and links them through the joiner', async () => {
    const p = await open({ runs: [fakeRun(replanRun())] });
    await p.settled(7);
    assert.equal(await count(p, 'svg.graph .cluster'), 2);
    assert.deepEqual(await p.page.locator('svg.graph .cluster-label').allTextContents(), ['Round 1', 'Round 2 · replan']);
    assert.equal(await count(p, 'svg.graph .node.join-replanned'), 1);
    assert.equal(await count(p, 'svg.graph path.edge-replan'), 2, 'round 2’s first tasks follow round 1’s joiner');
    const [r1, r2] = await Promise.all([1, 2].map((r) => p.page.locator(`svg.graph .cluster.round-${r} rect`).boundingBox()));
    assert.ok(r1 && r2 && r1.x + r1.width <= r2.x, 'round 2 is right of round 1');
    assert.match((await p.page.locator('.details-pane').textContent())!, /Replanned: need the code that compares schemaVersion/);
    await p.screenshot('replan');
  });

  it('groups a function-calling run by model turn, each followed by the turn that reads its results', async () => {
    const p = await open({ runs: [fakeRun(functionCallingRun())] });
    await p.settled(5);
    assert.deepEqual(await p.page.locator('svg.graph .cluster-label').allTextContents(), ['Model turn 1 · calls', 'Model turn 2 · calls']);
    assert.deepEqual(await p.page.locator('svg.graph .node.join .node-head').allTextContents(), ['Model turn 2', 'Model turn 3']);
    assert.equal(await count(p, 'svg.graph .node.join-answered'), 1, 'the last turn wrote the answer');
    assert.equal(await count(p, 'svg.graph path.edge-join'), 4, 'two calls into turn 2, turn 2 into its call, that call into turn 3');
    const labels = await p.page.locator('svg.timeline .row-label').allTextContents();
    assert.deepEqual(labels, ['Model turn 1', '#1 list_files', '#2 search_text', 'Model turn 2', '#3 read_file', 'Model turn 3']);
    await p.page.locator('svg.graph [data-key="j1"]').click();
    // The details pane is drawn on the next frame after the click.
    await p.page.locator('.details-pane h2', { hasText: /^Model turn 2$/ }).first().waitFor();
    assert.match((await p.page.locator('.details-pane h2').first().textContent())!, /^Model turn 2$/);
    await p.screenshot('function-calling');
  });

  it('follows a live run: states, growing bars, the end, and Cancel', async () => {
    const run = fakeRun(liveRun(), { cancellable: true });
    const p = await open({ runs: [run] });
    await p.settled(4);
    assert.equal(await count(p, 'svg.graph .node.state-running'), 2);
    assert.equal(await count(p, 'svg.graph .node.state-planned'), 1);
    assert.equal(await p.page.locator('.run-status').textContent(), 'running');
    await p.screenshot('live');

    const width = () => p.page.locator('svg.timeline .bar-planner .bar-run').evaluate((r) => Number(r.getAttribute('width')));
    const before = await width();
    await p.page.waitForTimeout(450);
    // Only the clock moved: the open planner bar keeps its share of a growing axis.
    assert.ok((await width()) > before * 0.9);

    await p.page.locator('.toolbar button', { hasText: 'Cancel' }).click();
    assert.deepEqual((await p.posted()).at(-1), { type: 'cancel', runId: 'run-live' });

    const more: CompilerEvent[] = [
      { type: 'task-finished', t: 900, id: 1, round: 1, tool: 'search_text', args: '"auditLog.write"', deps: [], status: 'ok', ms: 599, text: 'a.ts:1' },
      { type: 'task-started', t: 901, id: 4, tool: 'read_file', resolvedArgs: { path: 'a.ts' } },
      { type: 'task-finished', t: 950, id: 3, round: 1, tool: 'search_text', args: '"audit(" in $2', deps: [2], status: 'cancelled', ms: 309, text: 'Cancelled.' },
      { type: 'task-finished', t: 951, id: 4, round: 1, tool: 'read_file', args: '$1', deps: [1], status: 'cancelled', ms: 50, text: 'Cancelled.' },
    ];
    for (const e of more) await p.emit('run-live', e);
    await p.page.waitForFunction(() => document.querySelectorAll('svg.graph .node.state-cancelled').length === 2);
    await p.emit('run-live', {
      type: 'run-end', t: 960, outcome: 'cancelled', llmCalls: 0, inputTokens: 0, outputTokens: 0, tokensEstimated: false, wallMs: 960, rounds: 1,
      tasks: { total: 4, ok: 2, error: 0, skipped: 0, cancelled: 2, cached: 0 }, sequentialToolMs: 1177, maxParallel: 2, calls: [],
    });
    await p.page.waitForFunction(() => document.querySelector('.run-status')?.textContent?.startsWith('cancelled'));
    assert.ok(await p.page.locator('.toolbar button', { hasText: 'Cancel' }).isHidden());
  });

  it('draws a 200-task run, packing the timeline into lanes', async () => {
    const p = await open({ runs: [fakeRun(stressRun(200))] });
    const started = Date.now();
    await p.settled(201);
    const ms = Date.now() - started;
    assert.equal(await count(p, 'svg.graph .node.task'), 200);
    assert.equal(await count(p, 'svg.graph path.edge-dep'), 200, 'per group of four: two lookups use the search, the read uses both lookups');
    const rows = await count(p, 'svg.timeline .row');
    assert.ok(rows <= 12, `lanes, not a row per task (${rows} rows)`);
    assert.equal(await count(p, 'svg.timeline .bar-task .bar-run'), 193);
    assert.match((await p.page.locator('.timeline-totals').textContent())!, /Max parallel 8/);
    assert.ok(ms < 8_000, `rendered in ${ms} ms`);
    await p.screenshot('stress');
  });

  it('takes a 200-task run streamed in one burst', async () => {
    const events = stressRun(200, 'random');
    const start = events.findIndex((e) => e.type === 'run-start');
    const run = fakeRun(events.slice(0, start + 1), { cancellable: true });
    const p = await open({ runs: [run] });
    await p.page.waitForFunction(() => document.querySelector('.run-status')?.textContent === 'running');
    // Everything in one burst, as a fast run would: the panel batches it into a few frames.
    await p.page.evaluate((evs) => {
      const emit = (window as unknown as { __emit: (id: string, e: unknown) => void }).__emit;
      for (const e of evs) emit('run-stress-random', e);
    }, events.slice(start + 1) as unknown[]);
    await p.settled(201);
    assert.equal(await count(p, 'svg.graph .node.task'), 200);
    await p.page.waitForFunction(() => document.querySelector('.run-status')?.textContent?.startsWith('answered'));
    await p.screenshot('stress-random');
  });

  it('restores the selected run and task after a reload', async () => {
    const runs = [fakeRun(parallelRun(), { startedAt: Date.UTC(2025, 0, 1, 10) }), fakeRun(failureRun())];
    const p = await open({ runs, state: { runId: 'run-failure', follow: false, selected: 't2' } });
    await p.settled(6);
    assert.deepEqual((await p.posted()).slice(0, 2), [{ type: 'ready' }, { type: 'selectRun', runId: 'run-failure' }]);
    await p.page.locator('.details-pane h2', { hasText: '#2 read_file' }).waitFor();
    assert.equal(await p.page.locator('.run-picker').inputValue(), 'run-failure');
  });

  it('switches runs from the picker and follows new runs only when showing the newest', async () => {
    const runs = [fakeRun(parallelRun(), { startedAt: Date.UTC(2025, 0, 1, 10) }), fakeRun(failureRun())];
    const p = await open({ runs });
    await p.settled(5);
    assert.equal(await count(p, '.run-picker option'), 2);

    await p.addRun(fakeRun(replanRun(), { startedAt: Date.UTC(2025, 0, 1, 11) }));
    await p.settled(7);
    assert.equal(await p.page.locator('.run-picker').inputValue(), 'run-replan', 'followed the new run');

    await p.page.locator('.run-picker').selectOption('run-failure');
    await p.settled(6);
    assert.deepEqual((await p.savedState())?.runId, 'run-failure');
    await p.addRun(fakeRun(stressRun(12), { startedAt: Date.UTC(2025, 0, 1, 12) }));
    await p.page.waitForTimeout(100);
    assert.equal(await p.page.locator('.run-picker').inputValue(), 'run-failure', 'an older run the user picked stays');
    assert.equal(await count(p, '.run-picker option'), 4);

    // The host switching to the newest run (Show Task Graph on the latest answer) resumes following.
    const newest = fakeRun(stressRun(12), { startedAt: Date.UTC(2025, 0, 1, 12) });
    await p.send({ type: 'showRun', runId: newest.item.runId, events: newest.events });
    await p.settled(13);
    await p.addRun(fakeRun(liveRun(), { startedAt: Date.UTC(2025, 0, 1, 13) }));
    await p.settled(4);
    assert.equal(await p.page.locator('.run-picker').inputValue(), 'run-live');
  });

  describe('after questions asked in a row, some answered from reused results', () => {
    const repeated = () => {
      const first = fakeRun(parallelRun(), { startedAt: Date.UTC(2025, 0, 1, 10) });
      const second = fakeRun(cachedRun('run-cached-2'), { startedAt: Date.UTC(2025, 0, 1, 11) });
      const third = fakeRun(cachedRun('run-cached-3'), { startedAt: Date.UTC(2025, 0, 1, 12) });
      // The lists the host posted as each run started, oldest first.
      const lists = [[first], [second, first], [third, second, first]].map((runs) => ({ type: 'runs', runs: runs.map((r) => r.item) }));
      return { first, second, third, lists };
    };
    const shown = async (p: PanelPage) => {
      // Let every answer to the page's requests arrive before looking.
      await p.page.waitForTimeout(300);
      return p.page.locator('.run-picker').inputValue();
    };

    it('follows each new run, and shows the newest when Show Task Graph is clicked on it', async () => {
      const { first, second, third } = repeated();
      const p = await open({ runs: [first] });
      await p.settled(5);
      await p.addRun(second);
      await p.settled(3);
      assert.equal(await shown(p), 'run-cached-2');
      await p.addRun(third);
      assert.equal(await shown(p), 'run-cached-3');
      await p.send({ type: 'showRun', runId: 'run-cached-3', events: third.events });
      await p.settled(3);
      assert.equal(await shown(p), 'run-cached-3');
    });

    it('shows the newest run when Show Task Graph on it reveals a panel that missed the runs while hidden', async () => {
      const { first, second, third, lists } = repeated();
      const p = await open({
        runs: [third, second, first],
        state: { runId: 'run-parallel', follow: true },
        backlog: [...lists, { type: 'showRun', runId: 'run-cached-3', events: third.events }],
      });
      assert.equal(await shown(p), 'run-cached-3', 'the answer to the page’s own request for an older run does not replace the run the host showed');
      await p.settled(3);
    });

    it('opened by Show Task Graph on an older answer, shows that run and stays on it', async () => {
      const { first, second, third } = repeated();
      const p = await open({ runs: [third, second, first], backlog: [{ type: 'showRun', runId: 'run-cached-2', events: second.events }] });
      assert.equal(await shown(p), 'run-cached-2');
      await p.settled(3);
      assert.deepEqual(await p.posted(), [{ type: 'ready' }], 'asked for no other run');
    });

    it('catches up with runs that started while its request for the newest was answered', async () => {
      const { first, second, third, lists } = repeated();
      const p = await open({ runs: [third, second, first], state: { runId: 'run-parallel', follow: true }, backlog: lists });
      assert.equal(await shown(p), 'run-cached-3', 'following, the panel ends on the newest run, not the first one it asked for');
      await p.settled(3);
    });
  });

  it('ignores malformed messages', async () => {
    const p = await open({ runs: [fakeRun(parallelRun())] });
    await p.settled(5);
    for (const bad of [null, 'x', { type: 'event' }, { type: 'event', runId: 'run-parallel', event: { type: 'nope', t: 1 } }, { type: 'runs', runs: [{}] }, { type: 'showRun', runId: 'x' }]) {
      await p.send(bad);
    }
    await p.page.waitForTimeout(50);
    await p.settled(5);
    assert.equal(await count(p, 'svg.graph .node.task'), 4);
  });

  it('says what to do when there are no runs', async () => {
    const p = await open({ runs: [] });
    await p.page.locator('.graph-empty', { hasText: 'No runs yet' }).waitFor();
    assert.deepEqual(await p.posted(), [{ type: 'ready' }]);
  });
});
