// Number, duration and text formatting: one spelling for Chat, the CLI, the status bar and the task-graph panel.
import type { ToolOrigin } from './toolContract';

/**
 * `420 ms`, `3.4 s`, `42 s`, `1 min`, `1 min 12 s`; `–` for a time that is not a number. Rounded before the unit is
 * chosen, so 59.6 s reads `1 min`, never `60 s`.
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (Math.round(ms) < 1_000) return `${Math.round(ms)} ms`;
  if (Math.round(ms / 100) < 100) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1_000);
  if (seconds < 60) return `${seconds} s`;
  const min = Math.floor(seconds / 60);
  const s = seconds % 60;
  return s ? `${min} min ${s} s` : `${min} min`;
}

/** `1,234` with a fixed locale, so output is the same on every machine. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Token counts for tight places: `9,876`, then `12.3k`. */
export function formatTokens(n: number): string {
  return n >= 10_000 ? `${(n / 1_000).toFixed(1)}k` : formatCount(n);
}

/** `1 task`, `3 tasks`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Cuts `text` to `max` characters on one line, marking the cut with `…`. */
export function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, Math.max(0, max - 1))}…`;
}

/** `text` cut to `max` characters, saying how many were left out; line breaks kept. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${formatCount(text.length - max)} more characters]`;
}

/** `HH:MM:SS` in local time. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `relPath:line:col`, as editors print locations. */
export function formatLocation(loc: { relPath: string; path: string; line?: number; column?: number }): string {
  const where = loc.relPath || loc.path;
  if (loc.line === undefined) return where;
  return loc.column !== undefined ? `${where}:${loc.line}:${loc.column}` : `${where}:${loc.line}`;
}

/** Where an external tool comes from, as people read it: `extension acme.tools`, `MCP server github`. */
export function formatOrigin(origin: ToolOrigin): string {
  return `${origin.kind === 'mcp' ? 'MCP server' : 'extension'} ${clip(origin.name, 80)}`;
}
