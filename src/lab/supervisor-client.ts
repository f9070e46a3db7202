// Talks to a running lab supervisor over its control socket (the same path a host's systemctl takes).
import { connect } from 'node:net';
import { supervisorSocket } from './host-setup.ts';
import type { CommandResult } from './supervisor/service-manager.ts';
import type { LabTopology } from './topology.ts';

/** Asks the supervisor; rejects if it does not answer within timeoutMs (a supervisor that just died, a stuck one). */
export function systemctl(topology: LabTopology, host: string, args: string[], timeoutMs = 5_000): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const socket = connect(supervisorSocket(topology));
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`lab supervisor did not answer systemctl ${args.join(' ')} on ${host} within ${timeoutMs} ms`));
    });
    let reply = '';
    socket.on('connect', () => socket.write(JSON.stringify({ host, command: 'systemctl', args }) + '\n'));
    socket.on('data', (chunk) => (reply += chunk.toString()));
    socket.on('error', reject);
    socket.on('end', () => {
      try {
        resolve(JSON.parse(reply) as CommandResult);
      } catch {
        reject(new Error(`lab supervisor gave no answer to systemctl ${args.join(' ')} on ${host}`));
      }
    });
  });
}
