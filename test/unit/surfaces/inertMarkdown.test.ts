import assert from 'node:assert/strict';
import { inertMarkdown } from '../../../src/surfaces/inertMarkdown';

describe('inertMarkdown', () => {
  it('keeps images from rendering, wherever they point', () => {
    assert.equal(inertMarkdown('See ![chart](https://evil.example/c.png?d=SECRET) here'), 'See !\\[chart]\\(https\\://evil.example/c.png?d=SECRET) here');
    assert.equal(inertMarkdown('![x](data:image/png;base64,AAAA)'), '!\\[x]\\(data:image/png;base64,AAAA)');
    assert.equal(inertMarkdown('![logo](assets/logo.png)'), '!\\[logo](assets/logo.png)');
  });

  it('shows links, reference definitions and autolinks to anything outside the workspace as text', () => {
    assert.equal(inertMarkdown('[docs](https://evil.example/?q=1)'), '[docs]\\(https\\://evil.example/?q=1)');
    assert.equal(inertMarkdown('[run](command:workbench.action.terminal.new)'), '[run]\\(command:workbench.action.terminal.new)');
    assert.equal(inertMarkdown('[x]( //evil.example/a)'), '[x]\\( //evil.example/a)');
    assert.equal(inertMarkdown('[ref]: https://evil.example/'), '[ref]\\: https\\://evil.example/');
    assert.equal(inertMarkdown('<https://evil.example/>'), '\\<https\\://evil.example/>');
    assert.equal(inertMarkdown('<img src="https://evil.example/p.gif">'), '\\<img src="https\\://evil.example/p.gif">');
    assert.equal(inertMarkdown('visit www.evil.example or http://evil.example'), 'visit www\\.evil.example or http\\://evil.example');
  });

  it('keeps links to workspace files, citations, comparisons and code spans as they are', () => {
    for (const text of ['[the parser](src/core/plan/planParser.ts)', 'src/a.ts:12', 'a < b and c > d', 'use `![x](https://e.example)` literally', '`<img src=x>`']) {
      assert.equal(inertMarkdown(text), text);
    }
  });

  it('neutralises a link whose target is in the next piece of the stream', () => {
    assert.equal(inertMarkdown('[label]('), '[label]\\(');
  });
});
