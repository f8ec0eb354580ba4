/**
 * The one application error: an HTTP status, a stable machine code, and a message key that the
 * error middleware translates for the person. Anything else that is thrown is shown as a plain
 * 500 page and logged in full.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageKey: string = `errors.${code}`,
    readonly details?: Record<string, unknown>,
  ) {
    super(code);
    this.name = 'AppError';
  }
}

export const notFound = (code = 'not_found') => new AppError(404, code);
export const badRequest = (code = 'bad_request', details?: Record<string, unknown>) =>
  new AppError(400, code, `errors.${code}`, details);
export const forbidden = (code = 'forbidden') => new AppError(403, code);
export const unauthorized = (code = 'unauthorized') => new AppError(401, code);
