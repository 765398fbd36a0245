import type { LatencyModel } from '../support/testServerScript';

/**
 * A hosted model of the GPT-4o-mini class: ~200 ms to the first token plus 0.1 ms per prompt token (10 000 prompt
 * tokens/s of prefill), then 70 output tokens/s.
 */
export const HOSTED_LATENCY: LatencyModel = { ttftBaseMs: 200, prefillMsPerToken: 0.1, tokensPerSecond: 70 };
