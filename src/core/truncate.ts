/** Cuts text to a character budget, saying visibly how much was left out. */
export function truncateText(text: string, maxChars: number): { text: string; truncated: boolean } {
  if (text.length <= maxChars) return { text, truncated: false };
  const omitted = text.length - maxChars;
  const lines = text.slice(maxChars).split('\n').length - 1;
  const marker = `\n… [truncated: ${omitted} more characters${lines ? `, ${lines} more lines` : ''}]`;
  return { text: text.slice(0, Math.max(0, maxChars - marker.length)) + marker, truncated: true };
}
