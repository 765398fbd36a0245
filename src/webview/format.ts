// Number and text formatting shared by the panel's parts.

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatTokens(n: number): string {
  return n >= 10_000 ? `${(n / 1_000).toFixed(1)}k` : formatCount(n);
}

/** Cuts to `max` characters on one line, marking the cut. */
export function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, Math.max(0, max - 1))}…`;
}

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
