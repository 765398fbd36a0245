/** ANSI styling for one output stream; plain text when the stream is not a terminal or NO_COLOR is set. */
export interface Style {
  dim(text: string): string;
  bold(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const plain = (text: string) => text;

export function createStyle(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Style {
  const on = stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb';
  const sgr = (open: number, close: number) => (on ? (text: string) => `\u001b[${open}m${text}\u001b[${close}m` : plain);
  return {
    dim: sgr(2, 22),
    bold: sgr(1, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
  };
}
