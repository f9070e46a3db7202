// Lays out each lab host's folder: its manifests, unit files, kubeconfigs, and the bin tools a drill calls.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
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
  // Several labs may run on one machine: pgrep and pkill on a lab host see only this lab's processes.
  for (const tool of ['pgrep', 'pkill']) {
    writeExecutable(
      join(bin, tool),
      `#!/bin/sh
# Real ${tool}, limited to the processes of this lab (children of its supervisor).
exec /usr/bin/${tool} -P "$(cat '${supervisorPidPath(topology.labDir)}' 2>/dev/null || echo 0)" "$@"
`,
    );
  }
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
    if (host.role !== 'control-plane') continue;
    // The control-plane host has etcd's tools installed, as a kubeadm or CoreOS host would.
    for (const tool of ['etcdctl', 'etcdutl'] as const) symlinkSync(binaries[tool], join(host.dir, 'bin', tool));
    writeKubeconfig(kubeconfigPath(topology, 'controller-manager'), server, pki.ca.cert, 'system:kube-controller-manager', pki.controllerManager);
    writeKubeconfig(kubeconfigPath(topology, 'scheduler'), server, pki.ca.cert, 'system:kube-scheduler', pki.scheduler);
    writeUnitFile(join(unitDir(host), 'etcd.service'), {
      description: 'etcd key-value store',
      execStart: etcdCommand(topology, bin, pki),
      environment: {},
      restart: 'always',
    });
    const manifests = manifestsDir(host);
    writeFileSync(join(manifests, 'kube-apiserver.yaml'), staticPod('kube-apiserver', apiServerCommand(topology, bin, pki, timings)));
    writeFileSync(
      join(manifests, 'kube-controller-manager.yaml'),
      staticPod('kube-controller-manager', controllerManagerCommand(topology, bin, pki, timings)),
    );
    writeFileSync(join(manifests, 'kube-scheduler.yaml'), staticPod('kube-scheduler', schedulerCommand(topology, bin, pki)));
  }
}
