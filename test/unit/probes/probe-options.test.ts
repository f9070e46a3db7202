// Probe options are checked at run time, before anything is watched: each message names the probe and the option.
import { expect } from 'chai';
import { consistently } from '../../../src/probes/consistently.ts';
import { eventually } from '../../../src/probes/eventually.ts';
import { holdsFor } from '../../../src/probes/holds-for.ts';
import { ProbeOptionError } from '../../../src/probes/probe-options.ts';
import { waitForObjects } from '../../../src/probes/watch-objects.ts';
import { NODES } from '../../../src/kube/resources.ts';
import { unreachableApi } from './unreachable-api.ts';

/** Calls a probe with options as an untyped drill would pass them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const loose = (probe: (options: any) => Promise<unknown>, options: Record<string, unknown>) => probe(options);

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the probe to reject');
}

describe('probe options', () => {
  const base = { kubeconfig: unreachableApi(), type: NODES, description: '3 nodes Ready' };

  it('waitForObjects without `until` names the option', async () => {
    const error = await rejection(loose(waitForObjects, { ...base, timeoutMs: 1_000 }));
    expect(error).to.be.instanceOf(ProbeOptionError);
    expect(error.message).to.equal("waitForObjects '3 nodes Ready': option `until` is missing: it must be a function");
  });

  it('waitForObjects with a non-positive or missing timeout quotes the bad value', async () => {
    const zero = await rejection(loose(waitForObjects, { ...base, timeoutMs: 0, until: () => true }));
    expect(zero.message).to.equal("waitForObjects '3 nodes Ready': option `timeoutMs` must be a positive number of milliseconds (got 0)");
    const text = await rejection(loose(waitForObjects, { ...base, timeoutMs: '30s', until: () => true }));
    expect(text.message).to.include('option `timeoutMs` must be a positive number of milliseconds (got "30s")');
    const missing = await rejection(loose(waitForObjects, { ...base, until: () => true }));
    expect(missing.message).to.include('(got undefined)');
  });

  it('a watch probe without a description, kubeconfig or type says which', async () => {
    const noDescription = await rejection(loose(waitForObjects, { ...base, description: '', timeoutMs: 1_000, until: () => true }));
    expect(noDescription.message).to.equal('waitForObjects: option `description` must be a non-empty string saying what is awaited (got "")');
    const noType = await rejection(loose(holdsFor, { ...base, type: undefined, durationMs: 1_000, holds: () => true }));
    expect(noType.message).to.equal("holdsFor '3 nodes Ready': option `type` is missing");
  });

  it('holdsFor without `holds`, with a zero duration, or with a describe that is not a function', async () => {
    expect((await rejection(loose(holdsFor, { ...base, durationMs: 1_000 }))).message).to.include('option `holds` is missing');
    expect((await rejection(loose(holdsFor, { ...base, durationMs: -5, holds: () => true }))).message).to.include('option `durationMs` must be a positive number of milliseconds (got -5)');
    expect((await rejection(loose(holdsFor, { ...base, durationMs: 1_000, holds: () => true, describe: 'nodes' }))).message).to.include(
      'option `describe` must be a function when given (got "nodes")',
    );
  });

  it('eventually and consistently check their check and durations', async () => {
    const check = async () => {};
    expect((await rejection(eventually(check, { description: 'x up', timeoutMs: -1 }))).message).to.equal(
      "eventually 'x up': option `timeoutMs` must be a positive number of milliseconds (got -1)",
    );
    expect((await rejection(eventually(undefined as unknown as typeof check, { description: 'x up', timeoutMs: 1_000 }))).message).to.equal(
      "eventually 'x up': its first argument, the check, must be a function (got undefined)",
    );
    expect((await rejection(consistently(check, { description: 'x down', durationMs: 0 }))).message).to.include('option `durationMs` must be a positive');
    expect((await rejection(consistently(check, { description: 'x down', durationMs: 1_000, intervalMs: Number.NaN }))).message).to.include('option `intervalMs`');
  });
});
