/** The planner's stop marker: nothing after it belongs to the plan. */
export const END_OF_PLAN = '<END_OF_PLAN>';

// Markers models write at the end of a reply when the server does not cut them: `<END_OF_PLAN>`, `<|im_end|>`,
// `</s>`. Never part of an answer.
const COMPLETE = /^<(?:[A-Z][A-Z_]*|\|[^|<>\s]*\||\/s)>$/;
const INCOMPLETE = /^<(?:[A-Z][A-Z_]*|\|[^|<>\s]*\|?|\/s?)?$/;

export function isStopMarker(text: string): boolean {
  return COMPLETE.test(text);
}

/** True for the beginning of a stop marker that has not been written in full yet, e.g. `<END_OF`. */
export function isStopMarkerStart(text: string): boolean {
  return INCOMPLETE.test(text);
}
