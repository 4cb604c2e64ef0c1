/**
 * Keeps secrets out of the report: values under keys that name secrets are replaced whole, and
 * strings shaped like access key ids or secret keys are masked wherever they appear.
 */

/** Keys whose values are secrets (`SecretAccessKey`, `SessionToken`, `Credentials`, `Password`, ...). */
const SECRET_KEY =
  /secret|token|password|passphrase|credential|private.?key|authorization|assertion/i;

/**
 * Masks access key ids (`AKIA…`, `ASIA…`) and long base64 runs holding digits (secret keys,
 * session tokens), as `@cs/regional` does in the messages of AWS errors.
 *
 * @internal
 */
export const redactText = (text: string): string =>
  text
    .replace(/\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g, '[access key id]')
    .replace(/[A-Za-z0-9/+=]{40,}/g, (run) => (/\d/.test(run) ? '[redacted]' : run));

/**
 * A JSON text of `value` with the values of secret-named keys replaced by `"[redacted]"`, then
 * {@link redactText} applied. `undefined` for a value JSON cannot hold.
 *
 * @internal
 */
export const redactedJson = (value: unknown): string | undefined => {
  let json: string | undefined;
  try {
    json = JSON.stringify(value, (key, item: unknown) =>
      key !== '' && SECRET_KEY.test(key) && item !== null && item !== undefined
        ? '[redacted]'
        : typeof item === 'bigint'
          ? item.toString()
          : item,
    );
  } catch {
    return undefined;
  }
  return json === undefined ? undefined : redactText(json);
};
