// Which drills run: named ones; with no names only the non-destructive ones, unless --all.
import { expect } from 'chai';
import { selectDrills } from '../../../src/runner/drill-selection.ts';

const catalog = [
  { name: 'apiserver-killed', destructive: false },
  { name: 'ec2-node-stopped', destructive: true },
  { name: 'etcd-down', destructive: false },
  { name: 'etcd-restore', destructive: true },
];

describe('drill selection', () => {
  it('with no names runs only the drills that put the cluster back exactly as it was, and says which it left out', () => {
    expect(selectDrills(catalog, [], false)).to.deep.equal({ names: ['apiserver-killed', 'etcd-down'], skippedDestructive: ['ec2-node-stopped', 'etcd-restore'] });
  });

  it('with --all runs every drill', () => {
    expect(selectDrills(catalog, [], true).names).to.deep.equal(['apiserver-killed', 'ec2-node-stopped', 'etcd-down', 'etcd-restore']);
  });

  it('runs a destructive drill when it is named, in the order named', () => {
    expect(selectDrills(catalog, ['etcd-restore', 'etcd-down'], false)).to.deep.equal({ names: ['etcd-restore', 'etcd-down'], skippedDestructive: [] });
  });
});

describe('the drills declare whether they are destructive', function () {
  // Compiles and loads every drill file: seconds on an idle machine, more under load (not a performance test).
  this.timeout(60_000);
  it('etcd-restore and ec2-node-stopped are destructive, the others are not', async () => {
    const { default: Mocha } = await import('mocha');
    const { readdirSync } = await import('node:fs');
    const { loadDrillCatalog } = await import('../../../src/runner/drill-selection.ts');
    const dir = new URL('../../../drills/', import.meta.url).pathname;
    const files = new Map(readdirSync(dir).filter((file) => file.endsWith('.drill.ts')).map((file) => [file.replace(/\.drill\.ts$/, ''), dir + file] as [string, string]));
    const loaded = await loadDrillCatalog(new Mocha(), files);
    expect(loaded.filter((entry) => entry.destructive).map((entry) => entry.name)).to.deep.equal(['ec2-node-stopped', 'etcd-restore']);
    expect(loaded.every((entry) => entry.suites.length === 1 && entry.suites[0]?.title === entry.name)).to.equal(true);
  });
});
