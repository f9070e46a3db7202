// Quotes an argument vector into a POSIX shell command line, so no argument can inject shell syntax.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One argument as the shell must see it: unchanged if made only of safe characters, else single-quoted. */
export function quoteArg(arg: string): string {
  if (SAFE.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The whole argv as one command line, e.g. ['echo', "it's"] → `echo 'it'\''s'`. */
export function shellQuote(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}
