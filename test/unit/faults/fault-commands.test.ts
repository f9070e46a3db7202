// The commands faults run: every operand from the profile comes after "--", and the manual fixes they print are
// shell-quoted so that /bin/sh reads each path back as one word, whatever it contains.
import { execFileSync } from 'node:child_process';
import { KubeConfig } from '@kubernetes/client-node';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { EtcdDataRestoreFault } from '../../../src/faults/etcd-snapshot.ts';
import type { FaultContext } from '../../../src/faults/fault.ts';
import { ManifestMoveFault } from '../../../src/faults/manifest-move.ts';
import { ProcessKillFault } from '../../../src/faults/process-kill.ts';
import { sshCommand } from '../../../src/faults/remote.ts';
import { ServiceStopFault } from '../../../src/faults/service-stop.ts';
import { parseProfile } from '../../../src/profile/load-profile.ts';
import type { ProfileHost } from '../../../src/profile/profile-schema.ts';
import { DryRunTransport } from '../../../src/transport/dry-run-transport.ts';
import { validProfile } from '../profile/profile-fixture.ts';

/** The words /bin/sh makes of a command line. */
function shellWords(commandLine: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `for a in ${commandLine}; do printf '%s\\0' "$a"; done`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const profile = parseProfile(stringify(validProfile()), 'p.yaml');
const cp = profile.hosts[0] as ProfileHost;

function context(transport: DryRunTransport): FaultContext {
  return { profile, transport, kube: new KubeConfig(), dryRun: true, signal: new AbortController().signal, announceApiChange: () => {} };
}

/** Runs preflight and inject in a dry run; returns each command as its argv. */
async function commandsOf(fault: { preflight(c: FaultContext): Promise<void>; inject(c: FaultContext): Promise<void> }): Promise<string[][]> {
  const transport = new DryRunTransport();
  await fault.preflight(context(transport));
  await fault.inject(context(transport));
  return transport.commands.map((command) => command.argv);
}

describe('fault commands', () => {
  it('pgrep and pkill get "--" before the process name', async () => {
    const commands = await commandsOf(new ProcessKillFault(cp, 'kube-apiserver', 1000));
    expect(commands).to.deep.equal([
      ['pgrep', '-x', '--', 'kube-apiserver'],
      ['pkill', '-KILL', '-x', '--', 'kube-apiserver'],
    ]);
  });

  it('the undo record names the self-heal timer inject arms, taken before or after inject', async () => {
    for (const fault of [new ServiceStopFault(cp, 'kubelet'), new ManifestMoveFault(cp, '/etc/kubernetes/manifests/kube-scheduler.yaml', 'kube-scheduler')]) {
      const before = fault.undo().heal;
      const transport = new DryRunTransport();
      await fault.preflight(context(transport));
      await fault.inject(context(transport));
      const arm = transport.commands.find((command) => command.argv[0] === 'systemd-run')?.argv ?? [];
      expect(arm, fault.name).to.include(`--unit=${String(before)}`);
      expect(fault.undo().heal, fault.name).to.equal(before);
    }
  });

  it('systemctl gets "--" before the unit', async () => {
    const commands = await commandsOf(new ServiceStopFault(cp, 'kubelet'));
    const systemctl = commands.filter((argv) => argv[0] === 'systemctl');
    expect(systemctl).to.deep.equal([
      ['systemctl', 'is-active', '--quiet', '--', 'kubelet'],
      ['systemctl', 'stop', '--', 'kubelet'],
    ]);
    const arm = commands.find((argv) => argv[0] === 'systemd-run');
    expect(arm?.slice(arm.indexOf('--'))).to.deep.equal(['--', 'sh', '-c', 'systemctl start -- "$1"', 'sh', 'kubelet']);
    expect(commands[0]?.[2]).to.include('systemctl show -p LoadState --value -- "$1"');
    expect(commands[0]?.at(-1)).to.equal('kubelet');
  });

  it('mv gets "--" before the manifest and its backup', async () => {
    const commands = await commandsOf(new ManifestMoveFault(cp, '/etc/kubernetes/manifests/kube-scheduler.yaml', 'kube-scheduler'));
    expect(commands.at(-1)).to.deep.equal(['mv', '-n', '--', '/etc/kubernetes/manifests/kube-scheduler.yaml', '/etc/kubernetes/firedrill-backup/kube-scheduler.yaml']);
  });

  it('prints manual fixes that the shell reads back word for word, with sudo where the host needs it', () => {
    const manifest = "/etc/kubernetes/my manifests/it's $(id).yaml";
    const fault = new ManifestMoveFault(cp, manifest, 'kube-scheduler');
    const [ssh, port, portValue, target, remote] = shellWords(fault.manualFix());
    expect([ssh, port, portValue, target]).to.deep.equal(['ssh', '-p', '22', 'ubuntu@10.0.0.10']);
    expect(shellWords(remote as string)).to.deep.equal(['sudo', 'mv', '-n', '--', fault.backup, manifest]);
  });

  it('joins alternatives with || and quotes each', () => {
    const settings = { endpoint: 'https://10.0.0.10:2379', caFile: '/ca', certFile: '/c', keyFile: '/k', dataDir: '/var/lib/etcd data', memberName: 'cp-1', peerUrl: 'https://10.0.0.10:2380', keepPreviousDataDirs: 1, freeSpaceMarginMiB: 64 };
    const fault = new EtcdDataRestoreFault(cp, settings, '/var/lib/snap.db');
    const remote = shellWords(fault.manualFix())[4] as string;
    expect(remote).to.equal(`sudo test -d '/var/lib/etcd data' || sudo mv -- '${fault.previous}' '/var/lib/etcd data'`);
    const worker = profile.hosts[1] as ProfileHost;
    expect(sshCommand(worker, ['systemctl', 'start', '--', 'kubelet'])).to.equal("ssh -p 22 ubuntu@10.0.1.11 'systemctl start -- kubelet'");
  });
});
