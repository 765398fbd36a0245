export type TextEncodingName = 'utf-8' | 'utf-8 BOM' | 'utf-16le' | 'utf-16be';

export type DecodedBytes = { binary: false; text: string; encoding: TextEncodingName } | { binary: true };

/** How far a NUL byte is looked for; git and ripgrep make the same guess from the start of a file. */
const BINARY_SNIFF_BYTES = 8_000;

function decodeUtf16(bytes: Uint8Array, bigEndian: boolean): string {
  const copy = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  if (bigEndian) copy.swap16();
  return copy.toString('utf16le');
}

/**
 * Decodes file contents: a UTF-8 or UTF-16 (LE/BE) byte-order mark decides the encoding and is dropped; without
 * one, a NUL byte near the start means binary; otherwise UTF-8 (invalid sequences become U+FFFD).
 */
export function decodeBytes(bytes: Uint8Array, sniffWholeFile = false): DecodedBytes {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { binary: false, text: Buffer.from(bytes.subarray(3)).toString('utf8'), encoding: 'utf-8 BOM' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { binary: false, text: decodeUtf16(bytes.subarray(2), false), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { binary: false, text: decodeUtf16(bytes.subarray(2), true), encoding: 'utf-16be' };
  const sniff = sniffWholeFile ? bytes : bytes.subarray(0, BINARY_SNIFF_BYTES);
  if (sniff.includes(0)) return { binary: true };
  return { binary: false, text: Buffer.from(bytes).toString('utf8'), encoding: 'utf-8' };
}

/** Splits text into lines as editors number them; a final newline does not start another line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
