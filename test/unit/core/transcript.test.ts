import assert from 'node:assert/strict';
import type { TaskRecord } from '../../../src/core/taskExecutor';
import { buildTranscript } from '../../../src/core/transcript';
import { countTextTokens } from '../../../src/providers/tokenCount';

function record(id: number, text: string, status: TaskRecord['status'] = 'ok'): TaskRecord {
  return {
    task: { id, tool: 'read_file', args: [{ kind: 'literal', value: `src/f${id}.ts` }], deps: [], line: id, source: `read_file("src/f${id}.ts")` },
    round: 1,
    argsText: `"src/f${id}.ts"`,
    status,
    text,
    ms: 1,
  } as unknown as TaskRecord;
}

describe('transcript', () => {
  const numbered = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1}: const value${i} = compute(${i});`).join('\n');

  it('carries each result as the tool wrote it, so it costs the joiner no more tokens than the tool call would', () => {
    const a = numbered(40);
    const b = numbered(25);
    const text = buildTranscript([record(1, a), record(2, b)], [], 100_000);
    assert.ok(text.includes(`1. read_file("src/f1.ts") -> ok\n${a}\n`), 'the first result verbatim under its call');
    assert.ok(text.includes(`2. read_file("src/f2.ts") -> ok\n${b}\n`), 'the second result verbatim under its call');
    const overhead = countTextTokens(text) - countTextTokens(a) - countTextTokens(b);
    assert.ok(overhead < 40, `headers only: ${overhead} tokens beyond the results`);
  });

  it('names a failed task with its error and no body', () => {
    const failed = { ...record(1, ''), status: 'error', error: { reason: 'tool-failed', message: 'no such file' } } as TaskRecord;
    assert.equal(buildTranscript([failed], [], 1_000), '1. read_file("src/f1.ts") -> error: no such file');
  });

  it('names the tasks of the plan the reader has just read by number and tool, and earlier rounds\' in full', () => {
    const first = record(1, 'one');
    const second = { ...record(2, 'two'), round: 2 } as TaskRecord;
    assert.equal(buildTranscript([first], [], 1_000, { planInConversation: 1 }), '1. read_file -> ok\none\n');
    assert.equal(
      buildTranscript([first, second], [], 1_000, { planInConversation: 2 }),
      'Round 1:\n1. read_file("src/f1.ts") -> ok\none\n\nRound 2:\n2. read_file -> ok\ntwo\n',
    );
    // A replanner starts a new conversation: every call in full.
    assert.match(buildTranscript([first, second], [], 1_000), /^2\. read_file\("src\/f2\.ts"\) -> ok$/m);
  });
});
