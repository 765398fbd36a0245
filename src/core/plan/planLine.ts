import { END_OF_PLAN } from './stopMarkers';

/** What a plan line is, judged from its beginning. */
export type PlanLine =
  /** Too little of the line has arrived to tell. */
  | { kind: 'pending' }
  /** Not part of the plan: explanations, code fences, blank lines. */
  | { kind: 'prose' }
  | { kind: 'thought'; textStart: number }
  | { kind: 'end' }
  /** `N. tool(` or `join(`; `open` is the index of the parenthesis. */
  | { kind: 'call'; id: number | undefined; tool: string; open: number }
  /** Starts like a task (`3.`) but no call follows; `head` is the number as written. */
  | { kind: 'not-call'; head: string };

const PENDING: PlanLine = { kind: 'pending' };
const PROSE: PlanLine = { kind: 'prose' };

const THOUGHT = /^thought[ \t]*:/i;
const THOUGHT_START = /^t(?:h(?:o(?:u(?:g(?:h(?:t[ \t]*)?)?)?)?)?)?$/i;
const BULLET = /^[-*+][ \t]+/;
const BULLET_START = /^[-*+][ \t]*$/;
const NUMBER_HEAD = /^(\d+)[ \t]*([.)])/;
const NUMBER_START = /^\d+[ \t]*$/;
const CALL = /^([A-Za-z_]\w*)[ \t]*\(/;
const NAME_START = /^[A-Za-z_]\w*[ \t]*$/;
const JOIN = /^join[ \t]*\(/i;
const JOIN_START = /^j(?:o(?:i(?:n[ \t]*)?)?)?$/i;

/**
 * Classifies a line (without its newline) from what has arrived of it. `complete` says the line has ended, so a
 * line that could still become a task is settled as prose or as a task-like line without a call.
 */
export function classifyPlanLine(line: string, complete: boolean): PlanLine {
  let s = line.trimStart();
  if (!s) return complete ? PROSE : PENDING;
  if (s.startsWith(END_OF_PLAN)) return { kind: 'end' };
  if (!complete && END_OF_PLAN.startsWith(s)) return PENDING;
  const thought = THOUGHT.exec(s);
  if (thought) return { kind: 'thought', textStart: line.length - s.length + thought[0].length };
  if (!complete && THOUGHT_START.test(s)) return PENDING;

  // Some models write the plan as a markdown list.
  const bullet = BULLET.exec(s);
  if (bullet) s = s.slice(bullet[0].length);
  else if (!complete && BULLET_START.test(s)) return PENDING;
  if (!s) return complete ? PROSE : PENDING;

  const number = NUMBER_HEAD.exec(s);
  if (number) {
    const head = number[1]! + number[2]!;
    const rest = s.slice(number[0].length);
    // `3.5 GHz` is prose, not task 3.
    if (number[2] === '.' && /^\d/.test(rest)) return PROSE;
    const call = rest.trimStart();
    if (!call) return complete ? { kind: 'not-call', head } : PENDING;
    const m = CALL.exec(call);
    if (m) return { kind: 'call', id: Number(number[1]), tool: m[1]!, open: line.length - call.length + m[0].length - 1 };
    if (!complete && NAME_START.test(call)) return PENDING;
    return { kind: 'not-call', head };
  }
  if (!complete && NUMBER_START.test(s)) return PENDING;

  const join = JOIN.exec(s);
  if (join) return { kind: 'call', id: undefined, tool: 'join', open: line.length - s.length + join[0].length - 1 };
  if (!complete && JOIN_START.test(s)) return PENDING;
  return PROSE;
}
