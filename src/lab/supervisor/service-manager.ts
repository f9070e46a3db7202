// A host's service manager: answers the systemctl verbs a drill uses, for the unit files in the host's folder.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readUnitFile } from '../unit-file.ts';
import { SupervisedProcess } from './supervised-process.ts';
import { TransientTimers } from './transient-timers.ts';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

const ok = (stdout = ''): CommandResult => ({ code: 0, stdout, stderr: '' });

export class ServiceManager {
  private readonly units = new Map<string, SupervisedProcess>();
  /** Transient timers made by `systemd-run --on-active` on this host. */
  readonly timers: TransientTimers;

  constructor(
    private readonly hostName: string,
    private readonly unitDir: string,
    private readonly logDir: string,
    private readonly onEvent: (message: string) => void,
    /** Called after a unit changed state, e.g. to pause the static-pod loop while the kubelet is stopped. */
    private readonly onChange: (unit: string, active: boolean) => void = () => {},
    /** The environment a timer's command gets on this host (PATH, HOME, LAB_HOST). */
    hostEnv: Record<string, string> = {},
  ) {
    this.timers = new TransientTimers(hostName, hostEnv, logDir, onEvent);
  }

  private unitPath(name: string): string {
    return join(this.unitDir, `${name}.service`);
  }

  private load(name: string): SupervisedProcess | undefined {
    const existing = this.units.get(name);
    if (existing) return existing;
    if (!existsSync(this.unitPath(name))) return undefined;
    const unit = readUnitFile(this.unitPath(name));
    const process = new SupervisedProcess(
      {
        name: `${this.hostName}/${name}`,
        command: unit.execStart,
        env: unit.environment,
        logFile: join(this.logDir, `${name}.log`),
        restart: unit.restart,
        initialBackoffMs: 1_000,
        maxBackoffMs: 1_000,
      },
      this.onEvent,
    );
    this.units.set(name, process);
    return process;
  }

  processes(): SupervisedProcess[] {
    return [...this.units.values()];
  }

  async start(name: string): Promise<void> {
    const unit = this.load(name);
    if (!unit) throw new Error(`no unit ${name}.service on ${this.hostName}`);
    unit.start();
    this.onChange(name, true);
  }

  async stopAll(): Promise<void> {
    this.timers.stopAll();
    await Promise.all(this.processes().map((unit) => unit.stop()));
  }

  /** Runs `systemctl ARGS...` the way systemd's client answers it (exit codes as in systemctl(1)). */
  async systemctl(args: string[]): Promise<CommandResult> {
    const flags = args.filter((arg) => arg.startsWith('-'));
    // Words are the verb and unit names: not flags, and not the value that follows -p/--property.
    const words = args.filter((arg, index) => !arg.startsWith('-') && !['-p', '--property'].includes(args[index - 1] ?? ''));
    const [verb, ...rest] = words;
    if (verb === 'list-timers') return this.timers.listTimers(rest, flags);
    if (verb && rest.length > 0 && rest.every((name) => name.endsWith('.timer'))) return this.timers.systemctl(verb, rest, flags);
    const names = rest.map((unit) => unit.replace(/\.service$/, ''));
    const notFound = (name: string, action: string): CommandResult => ({
      code: 5,
      stdout: '',
      stderr: `Failed to ${action} ${name}.service: Unit ${name}.service not found.\n`,
    });
    switch (verb) {
      case 'start':
      case 'stop':
      case 'restart': {
        for (const name of names) {
          const unit = this.load(name);
          if (!unit) return notFound(name, verb);
          if (verb !== 'start') await unit.stop();
          if (verb !== 'stop') unit.start();
          this.onChange(name, verb !== 'stop');
        }
        return ok();
      }
      case 'is-active': {
        const states = names.map((name) => this.load(name)?.state ?? 'inactive');
        const quiet = flags.includes('--quiet') || flags.includes('-q');
        return { code: states.every((state) => state === 'active') ? 0 : 3, stdout: quiet ? '' : states.join('\n') + '\n', stderr: '' };
      }
      case 'status': {
        const name = names[0] ?? '';
        const unit = this.load(name);
        if (!unit) return { code: 4, stdout: '', stderr: `Unit ${name}.service could not be found.\n` };
        const text = [
          `● ${name}.service - ${readUnitFile(this.unitPath(name)).description}`,
          `     Loaded: loaded (${this.unitPath(name)}; enabled)`,
          `     Active: ${unit.state}`,
          ...(unit.pid ? [`   Main PID: ${unit.pid}`] : []),
          '',
        ].join('\n');
        return { code: unit.state === 'active' ? 0 : 3, stdout: text, stderr: '' };
      }
      case 'show': {
        const name = names[0] ?? '';
        const unit = this.load(name);
        const properties: Record<string, string> = {
          Id: `${name}.service`,
          LoadState: unit ? 'loaded' : 'not-found',
          ActiveState: unit?.state ?? 'inactive',
          MainPID: String(unit?.pid ?? 0),
          NRestarts: String(unit?.restarts ?? 0),
          FragmentPath: unit ? this.unitPath(name) : '',
        };
        const wanted = propertyNames(args) ?? Object.keys(properties);
        const valueOnly = flags.includes('--value');
        const lines = wanted.map((key) => (valueOnly ? (properties[key] ?? '') : `${key}=${properties[key] ?? ''}`));
        return ok(lines.join('\n') + '\n');
      }
      case 'cat': {
        const name = names[0] ?? '';
        if (!existsSync(this.unitPath(name))) return { code: 1, stdout: '', stderr: `No files found for ${name}.service.\n` };
        return ok(`# ${this.unitPath(name)}\n${readFileSync(this.unitPath(name), 'utf8')}`);
      }
      case 'daemon-reload':
        return ok();
      default:
        return { code: 1, stdout: '', stderr: `systemctl on the lab host ${this.hostName} does not support "${verb ?? ''}"; supported: start, stop, restart, is-active, status, show, cat, daemon-reload, list-timers\n` };
    }
  }
}

/** `-p A,B`, `-pA` or `--property=A` (repeatable), as systemctl show accepts them. */
function propertyNames(args: string[]): string[] | undefined {
  const names: string[] = [];
  args.forEach((arg, index) => {
    if (arg === '-p' || arg === '--property') names.push(...(args[index + 1] ?? '').split(','));
    else if (arg.startsWith('--property=')) names.push(...arg.slice(11).split(','));
    else if (arg.startsWith('-p') && arg.length > 2) names.push(...arg.slice(2).split(','));
  });
  return names.length ? names : undefined;
}
