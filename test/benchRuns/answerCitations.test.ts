import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { UnbackedAnswersError } from '../bench/suite/answerCitations';
import type { BenchQuestion } from '../bench/suite/benchQuestion';
import { BENCH_QUESTIONS } from '../bench/suite/benchQuestions';
import { runBench } from '../bench/suite/benchSuite';
import { requireRipgrep } from '../support/backends';

// The idempotency question's answer as first written: it cited the lines between two search hits (the line that makes
// the key, which no result of its run showed) as ranges.
const FIRST_IDEMPOTENCY_ANSWER = [
  'Not the OpenAI client as shipped: it declares `idempotencyHeader` without a value (src/client.ts:394), and a request gets an idempotency header only when that is set and its method is not GET (src/client.ts:1159-1161).',
  'The key is `options.idempotencyKey`, set once and so reused by every retry, or else made by `defaultIdempotencyKey()`: `stainless-node-retry-<uuid4>` (src/client.ts:626-627).',
  'The installed build does the same (node_modules/openai/client.js:649-652, node_modules/openai/client.mjs:646-649).',
].join('\n');

describe('benchmark answers and the tool results behind them', function () {
  this.timeout(300_000);
  let outDir: string;

  before(async function () {
    requireRipgrep(this);
    outDir = await mkdtemp(path.join(tmpdir(), 'llm-compiler-bench-citations-'));
  });

  after(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('stop the suite before it times anything when an answer cites what its warm-up run\'s results did not show; every question\'s answer cites only what they showed', async () => {
    const idempotency = BENCH_QUESTIONS.find((q) => q.id === 'idempotency')!;
    // Its own wording, so the scripted model tells it apart from the question it copies.
    const miscited: BenchQuestion = { ...idempotency, id: 'idempotency-first-answer', question: `${idempotency.question} (Once more.)`, answer: FIRST_IDEMPOTENCY_ANSWER };
    const warmUps: string[] = [];
    const error = await runBench({
      projectRoot: path.resolve(__dirname, '..', '..'),
      questions: [...BENCH_QUESTIONS, miscited],
      // The warm-up alone: no profile to time.
      profiles: [],
      modes: ['compiler'],
      outDir,
      signal: new AbortController().signal,
      log: (line) => warmUps.push(line),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof UnbackedAnswersError, `the suite stopped on the answers: ${String(error)}`);
    assert.equal(warmUps.length, BENCH_QUESTIONS.length + 1, 'every question ran its warm-up first');
    assert.deepEqual(error.answers, [
      {
        question: 'idempotency-first-answer',
        missing: ['src/client.ts:1159-1161', 'node_modules/openai/client.js:649-652', 'node_modules/openai/client.mjs:646-649'],
      },
    ]);
  });
});
