// Which drills a run runs: the named ones; with no names, only those that put the cluster back exactly as it was
// (destructive drills run only when named or with --all). Read from the drills' own meta, without running them.
import type Mocha from 'mocha';
import { declaredDrills } from '../engine/drill.ts';
import type { DrillMeta } from '../engine/run-events.ts';
import { loadDrillFiles } from './load-drills.ts';

export interface CatalogEntry {
  name: string;
  destructive: boolean;
  /** The mocha suites the drill file declared. */
  suites: Mocha.Suite[];
}

export interface Selection {
  names: string[];
  /** Destructive drills left out because none was named and --all was not given. */
  skippedDestructive: string[];
}

export function selectDrills(catalog: readonly Pick<CatalogEntry, 'name' | 'destructive'>[], requested: readonly string[], all: boolean): Selection {
  if (requested.length > 0) return { names: [...requested], skippedDestructive: [] };
  if (all) return { names: catalog.map((entry) => entry.name), skippedDestructive: [] };
  return {
    names: catalog.filter((entry) => !entry.destructive).map((entry) => entry.name),
    skippedDestructive: catalog.filter((entry) => entry.destructive).map((entry) => entry.name),
  };
}

/** Loads every drill file into mocha (importing it declares its suite and registers its meta; nothing runs). */
export async function loadDrillCatalog(mocha: Mocha, files: ReadonlyMap<string, string>): Promise<CatalogEntry[]> {
  const catalog: CatalogEntry[] = [];
  for (const [name, file] of files) {
    const suitesBefore = mocha.suite.suites.length;
    const metasBefore = declaredDrills().length;
    await loadDrillFiles(mocha, [file]);
    const metas = declaredDrills().slice(metasBefore);
    catalog.push({ name, destructive: metas.some((meta) => meta.destructive === true), suites: mocha.suite.suites.slice(suitesBefore) });
  }
  return catalog;
}

/** Keeps only the selected drills' suites, in the order they were named. */
export function keepSelected(mocha: Mocha, catalog: readonly CatalogEntry[], names: readonly string[]): void {
  mocha.suite.suites = names.flatMap((name) => catalog.find((entry) => entry.name === name)?.suites ?? []);
}

/** A drill's parameters for --list, one line each: "param node: the worker to drain (default: ...)". */
export function describeParams(meta: DrillMeta): string[] {
  return Object.entries(meta.params ?? {}).map(([name, param]) => `param ${name}: ${param.description} (default: ${JSON.stringify(param.default)})`);
}
