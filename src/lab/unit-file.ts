// A host's service definitions, written as systemd-style unit files and read back by the lab's service manager.
import { readFileSync, writeFileSync } from 'node:fs';

export interface UnitFile {
  description: string;
  execStart: string[];
  environment: Record<string, string>;
  /** systemd's Restart=: "always" restarts on any exit, "on-failure" only on a non-zero exit or a signal. */
  restart: 'always' | 'on-failure' | 'no';
}

const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\])/g, '\\$1')}"`);

export function writeUnitFile(path: string, unit: UnitFile): void {
  const env = Object.entries(unit.environment).map(([key, value]) => `Environment=${quote(`${key}=${value}`)}`);
  const text = [
    '[Unit]',
    `Description=${unit.description}`,
    '',
    '[Service]',
    ...env,
    `ExecStart=${unit.execStart.map(quote).join(' \\\n    ')}`,
    `Restart=${unit.restart}`,
    'RestartSec=1',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
  writeFileSync(path, text);
}

/** Splits a unit-file value into words, honouring double quotes and backslash escapes as systemd does. */
function words(value: string): string[] {
  const result: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const match of value.matchAll(pattern)) {
    result.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? ''));
  }
  return result;
}

export function readUnitFile(path: string): UnitFile {
  const text = readFileSync(path, 'utf8').replace(/\\\n\s*/g, ' ');
  const unit: UnitFile = { description: '', execStart: [], environment: {}, restart: 'no' };
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0 || line.startsWith('#') || line.startsWith('[')) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === 'Description') unit.description = value;
    if (key === 'ExecStart') unit.execStart = words(value);
    if (key === 'Restart' && (value === 'always' || value === 'on-failure' || value === 'no')) unit.restart = value;
    if (key === 'Environment') {
      for (const assignment of words(value)) {
        const at = assignment.indexOf('=');
        if (at > 0) unit.environment[assignment.slice(0, at)] = assignment.slice(at + 1);
      }
    }
  }
  if (unit.execStart.length === 0) throw new Error(`${path}: no ExecStart= line`);
  return unit;
}
