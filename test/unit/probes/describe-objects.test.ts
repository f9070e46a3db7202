// The default description of watched objects: names, phase and conditions, capped at five.
import { expect } from 'chai';
import { describeObjects } from '../../../src/probes/describe-objects.ts';

describe('describeObjects', () => {
  it('names each object with its phase, conditions and whether it is terminating', () => {
    const text = describeObjects([
      { metadata: { namespace: 'default', name: 'web-1' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
      { metadata: { namespace: 'default', name: 'web-2', deletionTimestamp: new Date() }, status: { phase: 'Pending' } },
      { metadata: { name: 'worker-1' }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } },
      { metadata: { name: 'plain' } },
    ] as never[]);
    expect(text).to.equal('4 objects: default/web-1 (Running/Ready=True), default/web-2 (Pending/terminating), worker-1 (Ready=Unknown), plain');
  });

  it('says how many more there are beyond five, and when there are none', () => {
    const many = Array.from({ length: 7 }, (_, index) => ({ metadata: { name: `n${index}` } }));
    expect(describeObjects(many)).to.equal('7 objects: n0, n1, n2, n3, n4, … and 2 more');
    expect(describeObjects([])).to.equal('0 objects');
    expect(describeObjects([{ metadata: { name: 'one' } }])).to.equal('1 object: one');
  });
});
