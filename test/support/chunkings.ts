/**
 * The ways the stream-parser tests cut a text into chunks: whole, in two at every index, one character at a time,
 * and in runs of 2 to 7 characters.
 */
export function chunkings(text: string): string[][] {
  const out: string[][] = [[text]];
  for (let i = 0; i <= text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  out.push(text.split(''));
  for (let size = 2; size <= 7; size++) {
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
    out.push(chunks);
  }
  return out;
}

/** A short label for a chunking in assertion messages. */
export function describeChunking(chunks: string[]): string {
  return `chunks ${JSON.stringify(chunks.map((c) => c.length))}`.slice(0, 80);
}
