// npm run lab -- up [--nodes N] | down | status: the local cluster drills and tests run against.
import { parseArgs } from 'node:util';
import { ensureBinaries } from '../lab/binaries.ts';
import { defaultLabDir } from '../lab/dirs.ts';
import { ensureEc2Emulator } from '../lab/ec2-emulator.ts';
import { labDown } from '../lab/lab-down.ts';
import { LabError } from '../lab/lab-error.ts';
import { labPaths } from '../lab/lab-paths.ts';
import { labStatus, STATUS_EXIT_CODES } from '../lab/lab-status.ts';
import { labTimingsName } from '../lab/lab-timings.ts';
import { labUp } from '../lab/lab-up.ts';

const USAGE = `usage: npm run lab -- <up|down|status> [options]
  up      start the lab (builds its binaries on the first run); idempotent
            --nodes N     worker nodes (default 3, at most 200)
            --subnet A.B.C  loopback addresses to use (default 127.0.10)
            --timings short|default  short: shortened failure timeline (default); default: Kubernetes' own
                          (node-monitor grace 50 s, period 5 s, Lease 40 s, tolerations 300 s)
            --control-planes N  1 (default) or 3: an HA control plane (3 etcd members, leader election, HAProxy)
            --etcd MODE   service (default) or static-pod (as kubeadm runs it)
  down    stop every lab process
  status  show the lab's hosts, services and API health
  build   build (or find) the lab's binaries, and install the EC2 API emulator; the first time takes minutes
  --dir DIR  lab state folder (default ~/.local/state/kube-firedrill/lab, or FIREDRILL_LAB_DIR)

exit codes: 0 ok, 1 unexpected error, 2 bad input, 3 something missing on this machine, 4 the lab failed to start
  status: 0 running, 1 stopped, 5 half-started (supervisor gone, processes left), 6 supervisor not answering`;

const log = (line: string) => process.stderr.write(`lab: ${line}\n`);

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      nodes: { type: 'string', default: '3' },
      subnet: { type: 'string' },
      timings: { type: 'string' },
      'control-planes': { type: 'string', default: '1' },
      etcd: { type: 'string', default: 'service' },
      dir: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  const labDir = values.dir ?? defaultLabDir();
  if (values.help || !command) {
    process.stdout.write(USAGE + '\n');
    return values.help ? 0 : 2;
  }
  if (values.subnet !== undefined && !/^127\.\d{1,3}\.\d{1,3}$/.test(values.subnet)) {
    throw new LabError(`--subnet must be three octets of a loopback address, like 127.0.10 (got "${values.subnet}")`, 2);
  }
  switch (command) {
    case 'up': {
      const workers = Number(values.nodes);
      const etcdMode = values.etcd;
      if (etcdMode !== 'service' && etcdMode !== 'static-pod') throw new LabError(`--etcd must be service or static-pod (got "${etcdMode}")`, 2);
      const timings = values.timings === undefined ? undefined : labTimingsName(values.timings);
      const result = await labUp({ labDir, workers, subnet: values.subnet, controlPlanes: Number(values['control-planes']), etcdMode, timings, log });
      const paths = labPaths(labDir);
      if (!result.alreadyRunning) log(`ready in ${(result.readyMs / 1000).toFixed(1)} s`);
      process.stdout.write(`kubeconfig: ${paths.kubeconfig}\nprofile:    ${paths.profile}\ntry: KUBECONFIG=${paths.kubeconfig} kubectl get nodes\n`);
      return 0;
    }
    case 'build': {
      const binaries = { ...(await ensureBinaries(log)), moto_server: await ensureEc2Emulator(log) };
      process.stdout.write(Object.entries(binaries).map(([name, path]) => `${name.padEnd(22)} ${path}`).join('\n') + '\n');
      return 0;
    }
    case 'down':
      await labDown(labDir, log);
      return 0;
    case 'status': {
      const status = await labStatus(labDir);
      process.stdout.write(status.lines.join('\n') + '\n');
      return STATUS_EXIT_CODES[status.state];
    }
    default:
      throw new LabError(`unknown lab command "${command}"\n${USAGE}`, 2);
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`lab: ${error.message}\n`);
    process.exit(error instanceof LabError ? error.exitCode : 1);
  },
);
