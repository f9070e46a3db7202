// The production guard judges the effective context and server, not only what the profile says.
import { expect } from 'chai';
import { productionReason } from '../../../src/engine/production-guard.ts';
import { parseProfile } from '../../../src/profile/load-profile.ts';
import { stringify } from 'yaml';
import { validProfile } from '../profile/profile-fixture.ts';

function profile(cluster: Record<string, unknown> = {}, name = 'staging') {
  const raw = validProfile();
  raw.name = name;
  raw.cluster = { kubeconfig: '/home/sre/.kube/config', ...cluster };
  return parseProfile(stringify(raw), 'p.yaml');
}

const staging = { context: 'staging-admin', server: 'https://api.staging.example.com:6443' };

describe('production guard', () => {
  it('lets a staging profile on a staging context and server through', () => {
    expect(productionReason(profile(), staging)).to.equal(undefined);
  });

  it('catches a profile without a context whose kubeconfig currently points at production', () => {
    expect(productionReason(profile(), { ...staging, context: 'prod-eu-admin' })).to.equal(
      'its kubeconfig context "prod-eu-admin" matches the production pattern /prod/i (cluster.productionPatterns)',
    );
  });

  it('catches a production API server URL, case-insensitively', () => {
    expect(productionReason(profile(), { context: 'admin', server: 'https://api.PROD.example.com' })).to.match(/API server "https:\/\/api\.PROD\.example\.com"/);
  });

  it('still catches cluster.production: true and the profile name', () => {
    expect(productionReason(profile({ production: true }), staging)).to.equal('its cluster.production is true');
    expect(productionReason(profile({}, 'prod-eu'), staging)).to.match(/profile name "prod-eu"/);
  });

  it('uses the configured patterns instead of the default', () => {
    const custom = profile({ productionPatterns: ['^live-', 'customer'] });
    expect(productionReason(custom, { context: 'prod-looking-but-not', server: 'https://x' })).to.equal(undefined);
    expect(productionReason(custom, { context: 'live-eu', server: 'https://x' })).to.match(/\/\^live-\/i/);
    expect(productionReason(custom, { context: 'a', server: 'https://CUSTOMER.example.com' })).to.match(/\/customer\/i/);
  });

  it('rejects a pattern that is not a regular expression, naming the field', () => {
    const raw = validProfile();
    raw.cluster = { kubeconfig: '/k', productionPatterns: ['prod', '(unclosed'] };
    expect(() => parseProfile(stringify(raw), 'p.yaml')).to.throw(/cluster\.productionPatterns\[1\]: a regular expression/);
  });

  it('rejects a cluster.uid that is not a UID', () => {
    const raw = validProfile();
    raw.cluster = { kubeconfig: '/k', uid: 'staging cluster' };
    expect(() => parseProfile(stringify(raw), 'p.yaml')).to.throw(/cluster\.uid: the UID of the kube-system namespace/);
  });
});
