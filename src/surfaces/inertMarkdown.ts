// An answer is written by a model that read the repository, and a file can tell it what to write: markdown that
// loads a remote image (or that the user follows as a link) would carry data out when Chat renders it. Answer text
// is made inert before it is rendered: images never render, links and autolinks to anything but a relative path
// (a workspace file) show as their text, raw HTML shows as text.

/** A scheme (`https:`, `data:`, `command:` …) or a protocol-relative `//`, after optional spaces. */
const EXTERNAL = /^\s*(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/**
 * Escapes, outside inline code spans, what would make markdown fetch or link to something outside the workspace:
 * `![` (images), `](` and `]:` before an external target or at the end of the text (links and reference
 * definitions), `<` before a tag or autolink, and `scheme://` / `www.` (bare URLs that renderers turn into links).
 * Works on any piece of a line: each construct's trigger has no whitespace inside, so it is never split.
 */
export function inertMarkdown(text: string): string {
  let out = '';
  let last = 0;
  // Code spans are shown verbatim: an escape there would show as a backslash.
  for (const span of text.matchAll(/(`+)[^`]*?\1/g)) {
    out += inertText(text.slice(last, span.index));
    out += span[0];
    last = span.index + span[0].length;
  }
  return out + inertText(text.slice(last));
}

function inertText(text: string): string {
  return text
    .replace(/!\[/g, '!\\[')
    .replace(/\](\(|:)/g, (m: string, sep: string, at: number, whole: string) => {
      const rest = whole.slice(at + 2);
      return rest.trim() === '' || EXTERNAL.test(rest) ? `]\\${sep}` : m;
    })
    .replace(/<(?=[a-z/!?])/gi, '\\<')
    .replace(/\b([a-z][a-z0-9+.-]*):\/\//gi, '$1\\://')
    .replace(/\bwww\./gi, 'www\\.');
}
