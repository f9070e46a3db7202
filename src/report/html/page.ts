// The document around a report page: a policy that forbids any network access, the inline style, and print support.
import { createHash } from 'node:crypto';
import { html, trusted, type Markup } from './markup.ts';
import { STYLES } from './styles.ts';

/** The page's only script: open every collapsed section before printing, so paper shows everything. */
const PRINT_SCRIPT = `addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true})})`;
const SCRIPT_HASH = createHash('sha256').update(PRINT_SCRIPT).digest('base64');

/** Nothing may be fetched; only the inline style and the print script above may run. */
const POLICY = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'`;

export function page(title: string, body: Markup): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${trusted(STYLES)}</style>
<script>${trusted(PRINT_SCRIPT)}</script>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`.value;
}
