/** A sign-in that cannot complete: the log gets `message`, the page `userMessage` (never a token). */
export class SignInError extends Error {
  override readonly name = 'SignInError';

  constructor(
    message: string,
    /** Safe to show: says what went wrong and what to do, never a token. */
    readonly userMessage: string,
    readonly status: 400 | 502 | 503,
  ) {
    super(message);
  }
}
