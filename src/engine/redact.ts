// Masks secrets in everything a run shows or writes: run events (and so run.log, report.json, HTML, JUnit, console).
import { basename } from 'node:path';

export const MASK = '***';

/** Secrets known by value (a kubeconfig's token, an AWS secret key): masked wherever they appear. Shorter ones are ignored. */
const MIN_KNOWN_SECRET = 8;
const known = new Set<string>();

/** Remembers secret values read from the profile's files; from now on they never reach an output. */
export function rememberSecrets(values: Iterable<string>): void {
  for (const value of values) if (value.length >= MIN_KNOWN_SECRET) known.add(value);
}

/** Words that make a flag, variable or key carry a secret: --password, DB_PASSWORD=, "token": ... */
const SECRET_WORD = '(?:password|passwd|passphrase|token|secret|client-key-data|private-key|api-key|apikey|access-key)';
/** A value as a shell script or a message writes it: quoted, or up to the next blank or separator. */
const VALUE = `(?:'[^']*'|"[^"]*"|[^\\s'";&|)]+)`;

/** Command-line words that are a secret flag on their own; the next word is the secret (`--token x`). */
const SECRET_FLAG = new RegExp(`^--?[\\w-]*${SECRET_WORD}[\\w-]*$`, 'i');

/** Programs whose short option takes a password: `sshpass -p x`, `mysql -px`, `redis-cli -a x`. */
const PASSWORD_OPTION: Record<string, string> = { sshpass: '-p', mysql: '-p', mysqldump: '-p', mysqladmin: '-p', 'redis-cli': '-a' };

/** A masked value keeps its quotes, so a script or JSON still reads as one. */
function maskValue(value: string): string {
  const quote = value[0] === "'" || value[0] === '"' ? value[0] : '';
  return `${quote}${MASK}${quote}`;
}
const maskLast = (match: string, ...groups: unknown[]) => {
  const parts = groups.slice(0, -2) as string[];
  return parts.slice(0, -1).join('') + maskValue(parts.at(-1) ?? '');
};

const TEXT_RULES: [RegExp, string | ((match: string, ...groups: unknown[]) => string)][] = [
  // PEM private keys, whole.
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, `-----BEGIN PRIVATE KEY-----${MASK}-----END PRIVATE KEY-----`],
  // Authorization: Bearer x / Basic x.
  [/\b(Bearer)(\s+)[A-Za-z0-9._~+/=-]+/gi, `$1$2${MASK}`],
  [/\b(Basic)(\s+)[A-Za-z0-9+/=]{8,}/g, `$1$2${MASK}`],
  // --password=x, --token x, -auth-token 'x'.
  [new RegExp(`(^|[^\\w-])(--?[\\w-]*${SECRET_WORD}[\\w-]*)(=|\\s+)(${VALUE})`, 'gi'), maskLast],
  // PASSWORD=x, db_password: x, "token": "x", aws_secret_access_key = x.
  [new RegExp(`(^|[^\\w-])([\\w.-]*${SECRET_WORD}[\\w.]*)(["']?\\s*[=:]\\s*)(${VALUE})`, 'gi'), maskLast],
  // Passwords in URLs: https://user:pass@host.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s/@]+@/gi, `$1${MASK}@`],
  // curl -u user:pass, --user user:pass.
  [/((?:^|\s)(?:-u|--user)(?:\s+|=)[^\s:'"]+:)[^\s'"]+/g, `$1${MASK}`],
  // JSON web tokens (service account tokens, OIDC id tokens).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, MASK],
  // AWS access key IDs.
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, MASK],
  // AWS secret access keys: 40 characters of base64 with upper, lower case and a digit or / +.
  [/(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, MASK],
];

/** Masks `-p x` / `-px` after a program that takes a password there, in a shell script or a message. */
function maskPasswordOptions(text: string): string {
  return text.replace(/\b(sshpass|mysql|mysqldump|mysqladmin|redis-cli)\b[^;&|\n]*/g, (command, program: string) => {
    const option = PASSWORD_OPTION[program] as string;
    return command.replace(new RegExp(`(\\s${option})(\\s*)(${VALUE})`, 'g'), maskLast);
  });
}

/** Cheap test first: most text (pod names, event messages) has nothing any rule could match. */
const MIGHT_HOLD_SECRET = new RegExp(`${SECRET_WORD}|private key|bearer|basic|eyJ|AKIA|ASIA|://|-u|--user|sshpass|mysql|redis-cli|[A-Za-z0-9/+]{40}`, 'i');

/** The text with every secret it carries masked. Idempotent. */
export function redactText(text: string): string {
  if (!MIGHT_HOLD_SECRET.test(text) && ![...known].some((secret) => text.includes(secret))) return text;
  let result = text;
  for (const secret of known) result = result.replaceAll(secret, MASK);
  for (const [pattern, replacement] of TEXT_RULES) result = result.replace(pattern, replacement as (match: string, ...groups: unknown[]) => string);
  return maskPasswordOptions(result);
}

/** An argument vector with secrets masked: `--token x` (two words), `--token=x`, `-p x` for sshpass/mysql, and inside `sh -c` scripts. */
export function redactArgv(argv: readonly string[]): string[] {
  const program = basename(argv.find((arg) => !/^(sudo|env|-.*|\w+=.*)$/.test(arg)) ?? '');
  const option = PASSWORD_OPTION[program];
  return argv.map((arg, index) => {
    const previous = argv[index - 1] ?? '';
    if (index > 0 && (SECRET_FLAG.test(previous) || previous === option)) return MASK;
    if (program === 'curl' && (previous === '-u' || previous === '--user')) return arg.replace(/:.*/s, `:${MASK}`);
    if (option && arg.startsWith(option) && arg.length > option.length && !arg.startsWith('--')) return `${option}${MASK}`;
    return redactText(arg);
  });
}

/** A copy of any value (an event, a report, an error) with every string in it redacted; argv arrays as command lines. */
export function redactDeep<T>(value: T): T {
  return walk(value, undefined) as T;
}

/** Fields whose whole value is a secret, whatever it looks like: { password: ... }, { privateKey: ... }. */
const SECRET_FIELD = /password|passwd|passphrase|token|secret|private-?key|authorization/i;

function walk(value: unknown, key: string | undefined): unknown {
  if (typeof value === 'string') return key !== undefined && SECRET_FIELD.test(key) ? MASK : redactText(value);
  if (Array.isArray(value)) {
    if (key === 'argv' && value.every((item) => typeof item === 'string')) return redactArgv(value as string[]);
    return value.map((item) => walk(item, undefined));
  }
  const prototype: unknown = value !== null && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (prototype === Object.prototype || prototype === null) {
    return Object.fromEntries(Object.entries(value as object).map(([name, item]) => [name, walk(item, name)]));
  }
  return value;
}
