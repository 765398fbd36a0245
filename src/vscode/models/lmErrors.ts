import { CompilerError } from '../../base/errors';

/** What the message needs to name the model. */
export interface LmModelName {
  readonly name: string;
  readonly vendor: string;
  readonly family: string;
}

/**
 * A failure of VS Code's Language Model API as a `CompilerError`. `code` is the `LanguageModelError` code when the
 * error is one (`NoPermissions`, `Blocked`, `NotFound`, …), otherwise undefined.
 */
export function toLmError(error: unknown, code: string | undefined, chat: LmModelName): CompilerError {
  if (error instanceof CompilerError) return error;
  const model = `${chat.name} (${chat.vendor}/${chat.family})`;
  const said = error instanceof Error && error.message ? `: ${error.message}` : '';
  const fail = (reason: CompilerError['reason'], message: string) => new CompilerError(reason, message, { cause: error });
  switch (code) {
    case 'NoPermissions':
      return fail(
        'model-consent',
        `LLM Compiler may not use ${model} yet. Allow it when VS Code asks (or under Accounts > Manage Language Model Access), then ask again.`,
      );
    case 'Blocked':
      return fail('rate-limited', `${model} is not accepting requests from LLM Compiler right now (quota or rate limit)${said}. Try again later.`);
    case 'NotFound':
      return fail('model-not-found', `${model} is no longer available. Pick another with "LLM Compiler: Select Model".`);
    default:
      return fail('model-error', `${model} failed${said}`);
  }
}
