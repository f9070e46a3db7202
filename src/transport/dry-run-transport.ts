// A transport for dry runs: it records every command it is given and runs none of them.
import type { ProfileHost } from '../profile/profile-schema.ts';
import type { CommandOptions, CommandResult, Transport } from './transport.ts';

export class DryRunTransport implements Transport {
  readonly commands: CommandResult[] = [];

  constructor(private readonly onCommand: (result: CommandResult) => void = () => {}) {}

  async run(host: ProfileHost, argv: string[], _options?: CommandOptions): Promise<CommandResult> {
    const result: CommandResult = { host: host.name, argv, sudo: host.sudo, code: 0, stdout: '', stderr: '', durationMs: 0 };
    this.commands.push(result);
    this.onCommand(result);
    return result;
  }

  check(host: ProfileHost, argv: string[], options?: CommandOptions): Promise<CommandResult> {
    return this.run(host, argv, options);
  }

  async close(): Promise<void> {}
}
