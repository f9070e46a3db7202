// Suggestions for mistyped drill names.
import { expect } from 'chai';
import { nearest } from '../../../src/engine/suggest.ts';

describe('nearest drill name', () => {
  const drills = ['apiserver-killed', 'controller-manager-down', 'etcd-down', 'kubelet-stopped', 'node-drain', 'scheduler-down'];
  it('suggests the closest name for a typo', () => {
    expect(nearest('scheduler-dwon', drills)).to.equal('scheduler-down');
    expect(nearest('etcd', drills)).to.equal('etcd-down');
    expect(nearest('kubelet-stop', drills)).to.equal('kubelet-stopped');
  });
  it('suggests nothing for an unrelated word', () => {
    expect(nearest('banana-bread-recipe', drills)).to.equal(undefined);
  });
});
