// systemctl (and systemd-run) for a lab host: forwards the command to the lab supervisor, which manages this host's units.
// Usage (from the host's bin/systemctl wrapper): node systemctl.mjs HOST SOCKET ARGS...; bin/systemd-run sets
// LAB_HOST_COMMAND=systemd-run.
import { connect } from 'node:net';

const [host, socketPath, ...args] = process.argv.slice(2);
const socket = connect(socketPath);
let reply = '';
socket.on('connect', () => socket.write(JSON.stringify({ host, command: process.env.LAB_HOST_COMMAND === 'systemd-run' ? 'systemd-run' : 'systemctl', args }) + '\n'));
socket.on('data', (chunk) => (reply += chunk.toString()));
socket.on('error', (error) => {
  process.stderr.write(`System has not been booted with the lab supervisor running (${error.message}). Run: npm run lab -- up\n`);
  process.exit(1);
});
socket.on('end', () => {
  const result = JSON.parse(reply);
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
});
