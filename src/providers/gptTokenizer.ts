// The entry of `dist/tokenizer.js`: the o200k tables are a few megabytes of source, kept out of the extension's
// bundle so that loading it (at start-up) never parses them.
export { countTokens } from 'gpt-tokenizer';
