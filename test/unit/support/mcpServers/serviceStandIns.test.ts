import assert from 'node:assert/strict';
import { startStandInServers } from '../../../bench/suite/standInServers';
import { ISSUES, STAND_IN_LATENCY_MS, searchDocs, searchIssues } from '../../../support/mcpServers/serviceStandIns';

describe('the issue tracker and documentation search stand-ins', () => {
  it('finds the issues that hold every word of the query, in title, body or labels, newest number first', () => {
    assert.deepEqual(searchIssues('MissingRefError JTD').map((i) => i.number), [1412]);
    assert.deepEqual(searchIssues('strict mode').map((i) => i.number), [1401, 1377, 1366]);
    assert.deepEqual(searchIssues('unknown format').map((i) => i.number), [1401]);
    assert.deepEqual(searchIssues('no such words here'), []);
    const numbers = ISSUES.map((i) => i.number);
    assert.equal(new Set(numbers).size, numbers.length, 'issue numbers are unique');
  });

  it('finds the documentation pages that hold every word of the query', () => {
    assert.deepEqual(searchDocs('strictTuples').map((p) => p.url), ['https://ajv.js.org/strict-mode.html#prohibit-unconstrained-tuples']);
    assert.deepEqual(searchDocs('unknown format').map((p) => p.url), ['https://ajv.js.org/guide/formats.html']);
    assert.deepEqual(searchDocs('strictRequired').map((p) => p.url), ['https://ajv.js.org/strict-mode.html#defined-required-properties']);
  });

  it('answers after the published latencies of the services it stands in for', () => {
    // GitHub's API: a single resource's median and the 90th percentile of the same sample; Exa's median search.
    assert.deepEqual(STAND_IN_LATENCY_MS, { get_issue: 206, search_issues: 527, search: 600 });
  });

  it('serves its tools through the MCP client as a user\'s servers: read-only, named after their server, results as values', async function () {
    this.timeout(60_000);
    const mcp = await startStandInServers(process.cwd(), AbortSignal.timeout(55_000));
    try {
      assert.deepEqual(mcp.tools.map((t) => t.name).sort(), ['docs_search', 'tracker_get_issue', 'tracker_search_issues']);
      assert.ok(mcp.tools.every((t) => t.origin?.kind === 'mcp'));
      const getIssue = mcp.tools.find((t) => t.name === 'tracker_get_issue')!;
      const out = await getIssue.run({ number: 1377 }, { signal: AbortSignal.timeout(10_000), roots: [process.cwd()], maxChars: 4_000 });
      assert.match(out.text, /^#1377 \[open\] strictTuples warns/);
      assert.equal((out.value as { author?: string }).author, 'dvasquez');
      await assert.rejects(getIssue.run({ number: 1 }, { signal: AbortSignal.timeout(10_000), roots: [process.cwd()], maxChars: 4_000 }), /no issue #1/);
    } finally {
      await mcp.close();
    }
  });
});
