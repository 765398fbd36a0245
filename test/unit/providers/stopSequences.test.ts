import assert from 'node:assert/strict';
import { StopSequenceCutter } from '../../../src/providers/stopSequences';

function run(stops: string[], pieces: string[]): { shown: string[]; stopped: boolean } {
  const cutter = new StopSequenceCutter(stops);
  const shown = pieces.map((p) => cutter.push(p));
  shown.push(cutter.flush());
  return { shown, stopped: cutter.stopped };
}

describe('StopSequenceCutter', () => {
  it('passes text through when there are no stop sequences', () => {
    assert.deepEqual(run([], ['a', 'b']).shown, ['a', 'b', '']);
  });

  it('cuts before the earliest stop sequence, even one split over pieces', () => {
    const result = run(['Observation:', '<END>'], ['answer <E', 'ND> Observ', 'ation: x']);
    assert.equal(result.shown.join(''), 'answer ');
    assert.ok(result.stopped);
  });

  it('holds back only what could still become a stop sequence', () => {
    assert.deepEqual(run(['<END>'], ['abc <', 'x']).shown, ['abc ', '<x', '']);
  });

  it('picks the stop sequence that starts first', () => {
    assert.equal(run(['bbb', 'ab'], ['xabbb']).shown.join(''), 'x');
  });

  it('releases a held-back tail at the end', () => {
    assert.deepEqual(run(['<END>'], ['done <EN']).shown, ['done ', '<EN']);
  });

  it('ignores empty stop sequences and shows nothing after stopping', () => {
    const result = run(['', 'STOP'], ['aSTOPb', 'more']);
    assert.deepEqual(result.shown, ['a', '', '']);
  });
});
