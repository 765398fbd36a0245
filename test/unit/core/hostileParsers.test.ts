import assert from 'node:assert/strict';
import { runBounded } from '../../support/boundedChild';

/**
 * Plan and joiner output shaped to make a parser re-read what it holds on every chunk: 160 000 characters and more
 * in 16-character chunks. Each case runs in a child process, so a quadratic parser fails the bound instead of
 * blocking the test runner; each is also compared with the same text parsed in one chunk.
 */
const SCRIPT = `
  const { PlanParser } = require('./src/core/plan/planParser.ts');
  const { JoinerParser } = require('./src/core/join/joinerParser.ts');
  const N = 160_000;
  const chunked = (text) => { const out = []; for (let i = 0; i < text.length; i += 16) out.push(text.slice(i, i + 16)); return out; };
  const plan = (chunks) => { const p = new PlanParser(); const items = [...chunks.flatMap((c) => p.push(c)), ...p.flush()]; return items.map((i) => i.kind === 'task' ? i.task.id + ':' + i.task.tool + ':' + i.task.source.length : i.kind === 'error' ? 'error@' + i.line + ':' + i.source.length : i.kind); };
  const join = (chunks) => { const p = new JoinerParser(); let answer = ''; for (const c of chunks) for (const d of p.push(c)) if (d.kind === 'answer') answer += d.text; try { const d = p.flush(); for (const x of d.deltas) if (x.kind === 'answer') answer += x.text; return d.decision + ':' + answer.length + ':' + (d.decision === 'finish' ? d.answer.length : d.reason.length); } catch (e) { return 'error:' + e.reason; } };
  const plans = {
    spaces: ' '.repeat(N) + '\\n1. search("a")',
    digits: '1'.repeat(N) + '\\n1. search("a")',
    name: '1. ' + 'a'.repeat(N) + '\\n2. search("a")',
    numberedSpaces: '1.' + ' '.repeat(N) + 'search("a")\\n2. search("b")',
    prose: 'x' + '>'.repeat(N) + '\\n1. search("a")',
    thought: 'Thought: ' + '>'.repeat(N) + '\\n1. search("a")',
    continuation: '1. search("a",\\n' + ' '.repeat(N) + '"b")\\n2. search("c")',
    longArgument: '1. search("' + 'a'.repeat(N) + '")\\n2. search("c")',
  };
  const joins = {
    finishSpaces: 'Finish(x' + ' '.repeat(400_000),
    proseLine: 'Thought: ' + 'word '.repeat(N / 5) + '\\nAction: Finish(done)',
    labelSpaces: 'Action:' + ' '.repeat(N) + 'Finish(x)',
    labelNewlines: 'Thought: t\\nAction:' + '\\n'.repeat(N) + 'Finish(x)',
    markers: 'Finish(x' + '</s>'.repeat(N / 4) + ')',
    markerStart: 'Finish(x <' + 'A'.repeat(N),
    backslashes: 'Finish("' + '\\\\\\\\'.repeat(N / 2) + '")',
  };
  const out = {};
  for (const [name, text] of Object.entries(plans)) out['plan ' + name] = [plan(chunked(text)), plan([text])];
  for (const [name, text] of Object.entries(joins)) out['join ' + name] = [join(chunked(text)), join([text])];
  console.log(JSON.stringify(out));`;

describe('stream parsers on hostile output', () => {
  it('end at all on long pending lines fed in small chunks, and agree with one-chunk parsing', function () {
    this.timeout(120_000);
    const results = JSON.parse(runBounded(SCRIPT, 90_000)) as Record<string, [unknown, unknown]>;
    for (const [name, [chunked, whole]] of Object.entries(results)) assert.deepEqual(chunked, whole, name);
    assert.deepEqual(results['plan spaces']![0], ['1:search:14']);
    assert.deepEqual(results['plan name']![0], ['error@1:160003', '2:search:14']);
    assert.deepEqual(results['plan continuation']![0], ['1:search:160019', '2:search:14']);
    assert.deepEqual(results['plan longArgument']![0], ['1:search:160013', '2:search:14']);
    assert.equal(results['join proseLine']![0], 'finish:4:4');
    assert.equal(results['join markers']![0], results['join markers']![1]);
  });
});
