// The html`` template tag: every interpolated value is escaped unless it is markup built by html`` itself.
import { escapeText } from '../escape.ts';

/** A piece of markup that is already safe. */
export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Value = Markup | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeText(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0] ?? '';
  for (let index = 0; index < values.length; index++) out += render(values[index] as Value) + (strings[index + 1] ?? '');
  return new Markup(out);
}

/** Markup written by this program (CSS, a script whose hash the page's policy allows); never cluster data. */
export function trusted(text: string): Markup {
  return new Markup(text);
}
