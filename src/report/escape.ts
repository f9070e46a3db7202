// Escapes text for HTML and XML: terminal colour codes and characters XML forbids are dropped, markup characters escaped.

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const NOT_XML = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;
const MARKUP = /[&<>"']/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as it reads on a page: without terminal colour codes or control characters. */
export function plainText(text: string): string {
  return text.replace(ANSI, '').replace(NOT_XML, '');
}

/** Safe inside an element and inside a quoted attribute, in HTML and in XML. */
export function escapeText(text: string): string {
  return plainText(text).replace(MARKUP, (char) => ENTITIES[char] as string);
}
