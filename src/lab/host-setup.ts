// Lays out each lab host's folder: its manifests, unit files, kubeconfigs, and the bin tools a drill calls.
import { chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { LabBinaries } from './binaries.ts';
import {
  apiServerCommand,
  apiServerUrl,
  controllerManagerCommand,
  etcdCommand,
  kubeconfigPath,
  kubeletCommand,
  localApiServerUrl,
  schedulerCommand,
  type LabTimings,
} from './components.ts';
import { writeKubeconfig, type LabPki } from './pki.ts';
import { writeKwokStages } from './kwok-stages.ts';
import { supervisorPidPath } from './lab-state.ts';
import type { LabHost, LabTopology } from './topology.ts';
import { writeUnitFile } from './unit-file.ts';

export function manifestsDir(host: LabHost): string {
  return join(host.dir, 'etc', 'kubernetes', 'manifests');
}

export function unitDir(host: LabHost): string {
  return join(host.dir, 'etc', 'systemd', 'system');
}

export function logDir(host: LabHost): string {
  return join(host.dir, 'var', 'log');
}

export function supervisorSocket(topology: LabTopology): string {
  return join(topology.labDir, 'run', 'supervisor.sock');
}

const SYSTEMCTL_SCRIPT = fileURLToPath(new URL('./host-bin/systemctl.mjs', import.meta.url));

/** A static pod manifest as kubeadm writes one, with the lab binary as the container's command. */
function staticPod(name: string, command: string[]): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'kube-system', labels: { component: name, tier: 'control-plane' } },
    spec: { hostNetwork: true, priorityClassName: 'system-node-critical', containers: [{ name, image: `lab/${name}`, command }] },
  });
}

function writeExecutable(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

/** The host's tools: systemctl and systemd-run talk to the lab's service manager; sudo is the real sudo keeping the host's PATH. */
function writeHostBin(topology: LabTopology, host: LabHost): void {
  const bin = join(host.dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeExecutable(
    join(bin, 'systemctl'),
    `#!/bin/sh\nexec '${process.execPath}' '${SYSTEMCTL_SCRIPT}' '${host.name}' '${supervisorSocket(topology)}' "$@"\n`,
  );
  // systemd-run makes transient timers (the self-heal of a fault); the supervisor runs them like systemd would.
  writeExecutable(
    join(bin, 'systemd-run'),
    `#!/bin/sh\nLAB_HOST_COMMAND=systemd-run exec '${process.execPath}' '${SYSTEMCTL_SCRIPT}' '${host.name}' '${supervisorSocket(topology)}' "$@"\n`,
  );
  writeExecutable(
    join(bin, 'sudo'),
    [
      '#!/bin/bash',
      '# Real sudo; keeps this lab host PATH (sudo resets it to secure_path) so the host systemctl answers.',
      'opts=()',
      'while (($#)); do',
      '  case $1 in',
      '    --) shift; break ;;',
      '    -u|-g|-p|-C|-D|-h|-r|-t|-U|-T) opts+=("$1" "$2"); shift 2 ;;',
      '    -*) opts+=("$1"); shift ;;',
      '    *) break ;;',
      '  esac',
      'done',
      'exec /usr/bin/sudo "${opts[@]}" -- /usr/bin/env "PATH=$PATH" "LAB_HOST=$LAB_HOST" "$@"',
      '',
    ].join('\n'),
  );
  // Several labs may run on one machine, and a lab's hosts share one process table: pgrep and pkill on a lab host see
  // only the processes of this lab (children of its supervisor) that belong to this host (name its folder).
  writeExecutable(
    join(bin, 'pgrep'),
    `#!/bin/sh
# Real pgrep, limited to this lab host's processes: children of the lab's supervisor whose command line names this host's folder.
supervisor=$(cat '${supervisorPidPath(topology.labDir)}' 2>/dev/null || echo 0)
found=1
for pid in $(/usr/bin/pgrep -P "$supervisor" "$@"); do
  if tr '\\0' '\\n' < /proc/$pid/cmdline 2>/dev/null | grep -qF '${host.dir}/'; then echo "$pid"; found=0; fi
done
exit $found
`,
  );
  writeExecutable(
    join(bin, 'pkill'),
    `#!/bin/sh
# Real pkill's matching (through this host's pgrep), then kill: pkill [-SIGNAL] PGREP-OPTIONS...
signal=TERM
case $1 in -[A-Z]*|-[0-9]*) signal=\${1#-}; shift ;; esac
pids=$('${join(bin, 'pgrep')}' "$@") || exit 1
exec /bin/kill -s "$signal" $pids
`,
  );
}

export function writeHosts(topology: LabTopology, binaries: LabBinaries, pki: LabPki, timings: LabTimings): void {
  const server = apiServerUrl(topology);
  const bin = { ...binaries, kwokStages: writeKwokStages(topology.labDir, binaries.kwokStages) };
  for (const host of topology.hosts) {
    for (const dir of [manifestsDir(host), unitDir(host), logDir(host), join(host.dir, 'run'), join(host.dir, 'var', 'lib')]) {
      mkdirSync(dir, { recursive: true });
    }
    writeHostBin(topology, host);
    const identity = pki.nodes[host.name];
    if (!identity) throw new Error(`no node certificate for ${host.name}`);
    writeKubeconfig(join(host.dir, 'etc', 'kubernetes', 'kubelet.conf'), server, pki.ca.cert, `system:node:${host.name}`, identity);
    writeUnitFile(join(unitDir(host), 'kubelet.service'), {
      description: `kubelet of ${host.name} (kwok managing this one node)`,
      execStart: kubeletCommand(host, bin, timings),
      environment: { HOME: host.dir },
      restart: 'always',
    });
    if (host.role === 'control-plane') writeControlPlane(topology, host, bin, pki, timings);
  }
}

/**
 * Runs a command with the host's own hostname (a UTS namespace, when the lab runs as root): leader election names
 * its holder after the hostname, so a Lease's holderIdentity says which host leads, as on a real cluster.
 */
function asHost(host: LabHost, command: string[]): string[] {
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/unshare')) return command;
  return ['/usr/bin/unshare', '--uts', '--', '/bin/sh', '-c', 'hostname "$0" && exec "$@"', host.name, ...command];
}

/** A control-plane host as kubeadm lays one out: etcd, and the three control-plane static pods talking to this host's API server. */
function writeControlPlane(topology: LabTopology, host: LabHost, bin: LabBinaries, pki: LabPki, timings: LabTimings): void {
  // The control-plane host has etcd's tools installed, as a kubeadm or CoreOS host would.
  for (const tool of ['etcdctl', 'etcdutl'] as const) symlinkSync(bin[tool], join(host.dir, 'bin', tool));
  const local = localApiServerUrl(topology, host);
  writeKubeconfig(kubeconfigPath(topology, 'controller-manager', host), local, pki.ca.cert, 'system:kube-controller-manager', pki.controllerManager);
  writeKubeconfig(kubeconfigPath(topology, 'scheduler', host), local, pki.ca.cert, 'system:kube-scheduler', pki.scheduler);
  const manifests = manifestsDir(host);
  if (topology.etcdMode === 'static-pod') {
    writeFileSync(join(manifests, 'etcd.yaml'), staticPod('etcd', asHost(host, etcdCommand(topology, bin, pki, host))));
  } else {
    writeUnitFile(join(unitDir(host), 'etcd.service'), {
      description: 'etcd key-value store',
      execStart: asHost(host, etcdCommand(topology, bin, pki, host)),
      environment: {},
      restart: 'always',
    });
  }
  const pod = (name: string, command: string[]) => writeFileSync(join(manifests, `${name}.yaml`), staticPod(name, asHost(host, command)));
  pod('kube-apiserver', apiServerCommand(topology, bin, pki, timings, host));
  pod('kube-controller-manager', controllerManagerCommand(topology, bin, pki, timings, host));
  pod('kube-scheduler', schedulerCommand(topology, bin, pki, timings, host));
}
