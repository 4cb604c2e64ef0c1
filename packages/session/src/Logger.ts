/**
 * Where a session reports what it does: every method is optional; `meta` carries structured
 * details (never a secret).
 *
 * @example
 * ```ts
 * const logger: Logger = { warn: (message, meta) => console.warn(message, meta) };
 * ```
 * @public
 */
export interface Logger {
  debug?: (message: string, meta?: object) => void;
  info?: (message: string, meta?: object) => void;
  warn?: (message: string, meta?: object) => void;
  error?: (message: string, meta?: object) => void;
}
