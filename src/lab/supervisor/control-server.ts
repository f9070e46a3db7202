// The supervisor's control socket: one JSON request per connection, from a host's systemctl or systemd-run.
import { createServer, type Server } from 'node:net';
import type { CommandResult } from './service-manager.ts';

export interface ControlRequest {
  host: string;
  command: 'systemctl' | 'systemd-run';
  args: string[];
}

export type ControlHandler = (request: ControlRequest) => Promise<CommandResult>;

export function startControlServer(socketPath: string, handle: ControlHandler): Promise<Server> {
  const server = createServer((socket) => {
    let input = '';
    socket.on('data', (chunk) => {
      input += chunk.toString();
      if (!input.includes('\n')) return;
      let request: ControlRequest;
      try {
        request = JSON.parse(input.slice(0, input.indexOf('\n'))) as ControlRequest;
      } catch {
        socket.end(JSON.stringify({ code: 1, stdout: '', stderr: 'malformed request\n' }) + '\n');
        return;
      }
      handle(request)
        .catch((error: Error): CommandResult => ({ code: 1, stdout: '', stderr: `${error.message}\n` }))
        .then((result) => socket.end(JSON.stringify(result) + '\n'));
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve(server));
  });
}
