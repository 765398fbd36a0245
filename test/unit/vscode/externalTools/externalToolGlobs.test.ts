import assert from 'node:assert/strict';
import { plannerToolName } from '../../../../src/shared/toolContract';
import { externalToolMatcher, globsForChoice } from '../../../../src/vscode/externalTools/externalToolGlobs';
import { lmToolResultText } from '../../../../src/vscode/externalTools/lmToolResult';

const LISTED = ['mcp_github_get_issue', 'mcp_github_create_issue', 'acme-find', 'acme_lookup', 'other.tool'];

describe('the external tools setting', () => {
  it('writes a tool name for the planner with every character outside [A-Za-z0-9_] as _', () => {
    assert.equal(plannerToolName('acme-find'), 'acme_find');
    assert.equal(plannerToolName('other.tool/v2 beta'), 'other_tool_v2_beta');
    assert.equal(plannerToolName('mcp_github_get_issue'), 'mcp_github_get_issue');
  });

  it('matches globs against either spelling, never the extension\'s own tool, and names the globs it cannot use', () => {
    const { matches, invalid } = externalToolMatcher(['acme_*', 'mcp_github_get_?ssue', '', 'x'.repeat(2_000)]);
    assert.deepEqual(LISTED.filter(matches), ['mcp_github_get_issue', 'acme-find', 'acme_lookup']);
    assert.equal(externalToolMatcher(['*']).matches('llm-compiler_ask'), false);
    assert.equal(invalid.length, 2);
  });

  it('turns a choice from the list into globs naming exactly the picked tools among those listed', () => {
    // Nothing set: the picked tools by name.
    assert.deepEqual(globsForChoice([], LISTED, ['acme-find', 'other.tool']), ['acme-find', 'other.tool']);
    // A glob whose every listed tool stays picked is kept, and covers them.
    assert.deepEqual(globsForChoice(['mcp_github_*'], LISTED, ['mcp_github_get_issue', 'mcp_github_create_issue', 'acme_lookup']), ['mcp_github_*', 'acme_lookup']);
    // A glob naming a tool left unpicked goes; the picked tools it named stay, by name.
    assert.deepEqual(globsForChoice(['mcp_github_*'], LISTED, ['mcp_github_get_issue']), ['mcp_github_get_issue']);
    // A glob naming no listed tool (a server not running now) is kept.
    assert.deepEqual(globsForChoice(['mcp_jira_*', 'acme-find'], LISTED, []), ['mcp_jira_*']);
    // Every glob's tools applied: the result offers exactly the picked ones.
    const picked = ['acme_lookup', 'mcp_github_create_issue'];
    const { matches } = externalToolMatcher(globsForChoice(['acme_*', '*_issue'], LISTED, picked));
    assert.deepEqual(LISTED.filter(matches), ['mcp_github_create_issue', 'acme_lookup']);
  });
});

describe('a language-model tool\'s result as text', () => {
  it('joins text parts as they come and names every other part on a line of its own', () => {
    const parts = [{ value: 'a' }, { value: 'b' }, { mimeType: 'text/plain\nx', data: new Uint8Array(3) }, { value: 'c' }, { value: { ctor: 2 } }, 42];
    assert.equal(
      lmToolResultText(parts),
      ['ab', '[text/plain x data returned, 3 bytes, not shown]', 'c', '[a prompt-tsx element returned, not shown]', '[a result part of an unknown kind returned, not shown]'].join('\n'),
    );
  });
});
