import type { Substitution } from './template/renderTemplate';

/** The shortest environment value that is scrubbed from messages. */
const MIN_SECRET_LENGTH = 4;

/**
 * A function that replaces, in a message, every environment value that the template used by its
 * variable's name (`{{AWS_SECRET_ACCESS_KEY}}`): a belt to the braces of never echoing values,
 * for keys that came from the environment.
 */
export function redactor(substitutions: Iterable<Substitution>): (text: string) => string {
  const values = [...substitutions]
    .filter((s) => s.value.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.value.length - a.value.length);
  if (values.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const { name, value } of values) out = out.split(value).join(`{{${name}}}`);
    return out;
  };
}
