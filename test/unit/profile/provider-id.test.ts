// A node's providerID names its EC2 instance on AWS, and nothing on other providers.
import { expect } from 'chai';
import { instanceIdOf } from '../../../src/profile/provider-id.ts';

describe('instanceIdOf', () => {
  it('reads the instance ID of an AWS providerID', () => {
    expect(instanceIdOf('aws:///eu-west-1a/i-0123456789abcdef0')).to.equal('i-0123456789abcdef0');
    expect(instanceIdOf('aws:///us-east-1b/i-12345678')).to.equal('i-12345678');
  });

  it('finds nothing for other providers, kwok nodes or a missing providerID', () => {
    expect(instanceIdOf('gce://project/europe-west1-b/node-1')).to.equal(undefined);
    expect(instanceIdOf('kwok://worker-1')).to.equal(undefined);
    expect(instanceIdOf(undefined)).to.equal(undefined);
    expect(instanceIdOf('aws:///eu-west-1a/i-0123; rm -rf /')).to.equal(undefined);
  });
});
