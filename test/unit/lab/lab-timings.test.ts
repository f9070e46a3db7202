// The lab's timing presets: Kubernetes 1.34's defaults on request, the shortened ones otherwise, bad names refused.
import { expect } from 'chai';
import { LAB_TIMINGS } from '../../../src/lab/components.ts';
import { LabError } from '../../../src/lab/lab-error.ts';
import { KUBERNETES_DEFAULT_TIMINGS, LAB_TIMING_PRESETS, labTimingsName } from '../../../src/lab/lab-timings.ts';
import { profileSchema } from '../../../src/profile/profile-schema.ts';

describe('lab timings', () => {
  it("'default' is Kubernetes 1.34's own: the profile schema's defaults, which a profile without timings gets", () => {
    const schemaDefaults = profileSchema.shape.timings.parse({});
    for (const key of ['nodeMonitorPeriodSeconds', 'nodeMonitorGracePeriodSeconds', 'nodeLeaseDurationSeconds', 'notReadyTolerationSeconds', 'unreachableTolerationSeconds'] as const) {
      expect(KUBERNETES_DEFAULT_TIMINGS[key], key).to.equal(schemaDefaults[key]);
    }
    expect(KUBERNETES_DEFAULT_TIMINGS).to.include({ nodeMonitorGracePeriodSeconds: 50, nodeMonitorPeriodSeconds: 5, nodeLeaseDurationSeconds: 40, unreachableTolerationSeconds: 300 });
  });

  it("'short' is the lab's shortened timeline", () => {
    expect(LAB_TIMING_PRESETS.short).to.equal(LAB_TIMINGS);
    expect(LAB_TIMINGS.nodeMonitorGracePeriodSeconds).to.be.below(KUBERNETES_DEFAULT_TIMINGS.nodeMonitorGracePeriodSeconds);
  });

  it('refuses any other name with exit code 2', () => {
    expect(labTimingsName('default')).to.equal('default');
    expect(() => labTimingsName('long')).to.throw(LabError, '--timings must be "short" (shortened, the lab\'s default) or "default" (Kubernetes\' own defaults) (got "long")');
    try {
      labTimingsName('');
    } catch (error) {
      expect((error as LabError).exitCode).to.equal(2);
    }
  });
});
