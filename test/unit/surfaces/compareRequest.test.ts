import assert from 'node:assert/strict';
import { parseCompareRequest } from '../../../src/surfaces/compareRequest';

describe('/compare request', () => {
  it('races the mode of the setting when the prompt names none', () => {
    assert.deepEqual(parseCompareRequest('Where is main?', 'function-calling'), { against: 'function-calling', question: 'Where is main?' });
    assert.deepEqual(parseCompareRequest('  reactive code?', 'react'), { against: 'react', question: 'reactive code?' });
  });

  it('takes the mode from a first word that names one, in any case', () => {
    assert.deepEqual(parseCompareRequest('react Where is main?', 'function-calling'), { against: 'react', question: 'Where is main?' });
    assert.deepEqual(parseCompareRequest('FC where is main', 'react'), { against: 'function-calling', question: 'where is main' });
    assert.deepEqual(parseCompareRequest('plan where?', 'function-calling'), { against: 'plan-execute', question: 'where?' });
    assert.deepEqual(parseCompareRequest('plan-execute\nwhere?', 'react'), { against: 'plan-execute', question: 'where?' });
    assert.deepEqual(parseCompareRequest('function-calling', 'react'), { against: 'function-calling', question: '' });
  });

  it('leaves a question that only starts like a mode alone', () => {
    assert.deepEqual(parseCompareRequest('planner output?', 'react'), { against: 'react', question: 'planner output?' });
    assert.deepEqual(parseCompareRequest('compiler vs fc?', 'react'), { against: 'react', question: 'compiler vs fc?' });
  });
});
