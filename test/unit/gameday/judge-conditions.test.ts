// How the node and object stop conditions judge what their watches see, and how malformed conditions are refused.
import { expect } from 'chai';
import type { V1Node } from '@kubernetes/client-node';
import { checkStopConditions } from '../../../src/gameday/check-conditions.ts';
import { judgeNodes } from '../../../src/gameday/nodes-condition.ts';
import { describeCondition } from '../../../src/gameday/object-condition.ts';
import type { StopCondition } from '../../../src/gameday/plan-types.ts';

const node = (name: string, ready?: string): V1Node => ({ metadata: { name }, status: { conditions: ready ? [{ type: 'Ready', status: ready }] : [] } });

describe('stop conditions: judging nodes and objects', () => {
  it('counts nodes whose Ready is False, Unknown or missing', () => {
    const nodes = [node('cp-1', 'True'), node('worker-2', 'Unknown'), node('worker-1', 'False'), node('worker-3')];
    expect(judgeNodes(nodes, 2)).to.deep.equal({ ok: false, value: '3 NotReady of 4 nodes: worker-1 (False), worker-2 (Unknown), worker-3 (no Ready condition)' });
    expect(judgeNodes(nodes.slice(0, 3), 2)).to.include({ ok: true });
    expect(judgeNodes([node('cp-1', 'True')], 0)).to.deep.equal({ ok: true, value: '0 NotReady of 1 node' });
  });

  const available: Extract<StopCondition, { kind: 'kubernetes-condition' }> = {
    kind: 'kubernetes-condition',
    name: 'guestbook available',
    object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'guestbook' },
    conditionType: 'Available',
    status: 'True',
    graceSeconds: 10,
  };

  it("names the condition's actual status, reason and message, a missing condition, a missing object", () => {
    const off = { status: { conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }] } };
    expect(describeCondition(available, off)).to.deep.equal({ wanted: false, text: 'Available=False (MinimumReplicasUnavailable: Deployment does not have minimum availability.)' });
    expect(describeCondition(available, { status: { conditions: [{ type: 'Available', status: 'True' }] } })).to.deep.equal({ wanted: true, text: 'Available=True' });
    expect(describeCondition(available, { status: {} })).to.deep.equal({ wanted: false, text: 'Deployment default/guestbook has no Available condition' });
    expect(describeCondition(available, undefined)).to.deep.equal({ wanted: false, text: 'Deployment default/guestbook not found' });
  });

  it('refuses malformed conditions, naming each field', () => {
    const bad = [
      { kind: 'app-endpoint', name: 'app', url: 'http://x', windowSeconds: 0, intervalMs: 500 },
      { kind: 'not-ready-nodes', name: 'app', max: 1.5 },
      { kind: 'kubernetes-condition', name: 'dep', object: { apiVersion: 'apps/v1', kind: 'Deployment', name: '' }, conditionType: 'Available', status: 'true', graceSeconds: -1 },
    ] as unknown as StopCondition[];
    expect(() => checkStopConditions(bad)).to.throw(
      TypeError,
      [
        'bad stop conditions:',
        '  stopConditions[0].windowSeconds must be a positive number (got 0)',
        '  stopConditions[0].minSuccessRatio must be set, or maxP95Ms (a condition without a limit is never breached) (got undefined)',
        '  stopConditions[1].name "app" is used by an earlier condition: names must be unique',
        '  stopConditions[1].max must be an integer 0 or more (got 1.5)',
        '  stopConditions[2].graceSeconds must be a number 0 or more (got -1)',
        '  stopConditions[2].status must be "True", "False" or "Unknown" (got "true")',
        '  stopConditions[2].object must be an apiVersion, kind and name (got {"apiVersion":"apps/v1","kind":"Deployment","name":""})',
      ].join('\n'),
    );
  });
});
