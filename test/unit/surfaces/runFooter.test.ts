import assert from 'node:assert/strict';
import { comparisonTable, comparisonVerdict, runFigures, runFooter } from '../../../src/surfaces/runFooter';
import type { RunSummary } from '../../../src/shared/runEvents';

function summary(over: Partial<RunSummary> = {}): RunSummary {
  return {
    outcome: 'answered',
    llmCalls: 2,
    inputTokens: 1234,
    outputTokens: 210,
    tokensEstimated: false,
    wallMs: 3400,
    rounds: 1,
    tasks: { total: 5, ok: 5, error: 0, skipped: 0, cancelled: 0, cached: 0 },
    sequentialToolMs: 9100,
    maxParallel: 4,
    calls: [],
    ...over,
  };
}

describe('run footer', () => {
  it('lists tasks, parallelism, calls, tokens, wall time and sequential tool time', () => {
    assert.equal(
      runFigures(summary()),
      '5 tasks (up to 4 in parallel) · 2 LLM calls · 1,234 in / 210 out tokens · 3.4 s wall time · tools 9.1 s if run one after another',
    );
  });

  it('names read-aheads of the joiner\'s prompt beside the LLM calls', () => {
    assert.match(runFigures(summary({ readAheads: 1 })), / · 2 LLM calls \(\+1 read-ahead\) · /);
    assert.match(runFigures(summary({ readAheads: 3 })), /\(\+3 read-aheads\)/);
  });

  it('says how many tasks were reused and the tool time that saved', () => {
    const text = runFigures(summary({ tasks: { total: 5, ok: 2, error: 0, skipped: 0, cancelled: 0, cached: 3 }, savedToolMs: 2400 }));
    assert.match(text, / · 3 reused \(saved 2\.4 s of tool time\)$/);
  });

  it("says how many results were cut to fit the model's context", () => {
    const text = runFigures(summary({ resultsCut: 2, context: { tokens: 4096, source: 'llama.cpp /props' } }));
    assert.match(text, / · 2 results cut to fit the 4,096-token context$/);
    assert.doesNotMatch(runFigures(summary({ context: { tokens: 4096, source: 'llama.cpp /props' } })), /cut/);
  });

  it('marks estimated tokens and leaves out task figures when nothing ran', () => {
    const text = runFigures(summary({ tokensEstimated: true, tasks: { total: 0, ok: 0, error: 0, skipped: 0, cancelled: 0, cached: 0 }, llmCalls: 1 }));
    assert.equal(text, '0 tasks · 1 LLM call · ≈1,234 in / ≈210 out tokens · 3.4 s wall time');
  });

  it('is a markdown footer naming the mode', () => {
    assert.match(runFooter(summary(), 'react'), /---\n\*ReAct · 5 tasks .*one after another\*\n$/);
  });

  it('compares a compiler run with a ReAct run', () => {
    const compiler = summary({ wallMs: 2000, inputTokens: 1000, outputTokens: 0 });
    const react = summary({ wallMs: 6000, inputTokens: 4000, outputTokens: 0, llmCalls: 6 });
    assert.equal(comparisonVerdict(compiler, react, 'react'), 'LLM Compiler was 3.0× faster than ReAct and used 25% of its tokens.');
    const table = comparisonTable(compiler, react, 'react');
    assert.match(table, /^\| \| LLM Compiler \| ReAct \| ReAct ÷ Compiler \|/);
    assert.match(table, /\| Wall time \| 2.0 s \| 6.0 s \| 3.0× \|/);
    assert.match(table, /\| LLM calls \| 2 \| 6 \| 3.0× \|/);
  });

  it('names the mode it compares with, function calling included', () => {
    const compiler = summary({ wallMs: 3000 });
    const fc = summary({ wallMs: 2000 });
    assert.match(comparisonTable(compiler, fc, 'function-calling'), /^\| \| LLM Compiler \| Function calling \| Function calling ÷ Compiler \|/);
    assert.match(comparisonVerdict(compiler, fc, 'function-calling'), /^LLM Compiler was 1\.5× slower than function calling /);
  });
});
