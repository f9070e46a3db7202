// Checks a probe's options at run time (drills are not typechecked when run): each problem names the probe and the option.

export class ProbeOptionError extends Error {
  readonly code = 'PROBE_OPTION_INVALID';
  readonly permanent = true;
  constructor(probe: string, description: unknown, message: string) {
    const named = typeof description === 'string' && description.trim() ? ` '${description}'` : '';
    super(`${probe}${named}: ${message}`);
    this.name = 'ProbeOptionError';
  }
}

const shown = (value: unknown) => (typeof value === 'string' ? `"${value}"` : typeof value === 'function' ? 'a function' : String(value));

/** What a probe requires of its options object; the first problem found is thrown as a ProbeOptionError. */
export interface OptionRules {
  /** Options that must be functions (callbacks the probe cannot do without). */
  functions?: string[];
  /** Options that may be left out but, when given, must be functions. */
  optionalFunctions?: string[];
  /** Options that must be positive, finite numbers of milliseconds. */
  durations?: string[];
  /** Options that may be left out but, when given, must be positive, finite numbers of milliseconds. */
  optionalDurations?: string[];
  /** Options that must be given (any value), e.g. the kubeconfig and the resource type of a watch. */
  present?: string[];
}

export function checkProbeOptions(probe: string, options: unknown, rules: OptionRules): void {
  if (typeof options !== 'object' || options === null) throw new ProbeOptionError(probe, undefined, `its options must be an object (got ${shown(options)})`);
  const given = options as Record<string, unknown>;
  const fail = (message: string) => {
    throw new ProbeOptionError(probe, given.description, message);
  };
  if (typeof given.description !== 'string' || !given.description.trim()) {
    fail(`option \`description\` must be a non-empty string saying what is awaited (got ${shown(given.description)})`);
  }
  for (const name of rules.present ?? []) if (given[name] === undefined || given[name] === null) fail(`option \`${name}\` is missing`);
  for (const name of rules.functions ?? []) {
    if (given[name] === undefined) fail(`option \`${name}\` is missing: it must be a function`);
    if (typeof given[name] !== 'function') fail(`option \`${name}\` must be a function (got ${shown(given[name])})`);
  }
  for (const name of rules.optionalFunctions ?? []) {
    if (given[name] !== undefined && typeof given[name] !== 'function') fail(`option \`${name}\` must be a function when given (got ${shown(given[name])})`);
  }
  const positive = (name: string) => {
    const value = given[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(`option \`${name}\` must be a positive number of milliseconds (got ${shown(value)})`);
  };
  for (const name of rules.durations ?? []) positive(name);
  for (const name of rules.optionalDurations ?? []) if (given[name] !== undefined) positive(name);
}
