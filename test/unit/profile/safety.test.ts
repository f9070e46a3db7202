// The profile's safety block: defaults when left out, a path-qualified error for a deadline too short to be safe.
import { expect } from 'chai';
import { stringify } from 'yaml';
import { parseProfile } from '../../../src/profile/load-profile.ts';
import { validProfile } from './profile-fixture.ts';

describe('profile safety settings', () => {
  it('defaults to a 900 s self-heal deadline and the journal copy in /var/lib/kube-firedrill/journal', () => {
    const profile = parseProfile(stringify(validProfile()), 'staging.yaml');
    expect(profile.safety).to.deep.equal({ selfHealAfterSeconds: 900, journalDir: '/var/lib/kube-firedrill/journal' });
  });

  it('takes a deadline of its own and keeps the other default', () => {
    const profile = parseProfile(stringify({ ...validProfile(), safety: { selfHealAfterSeconds: 1200 } }), 'staging.yaml');
    expect(profile.safety).to.deep.equal({ selfHealAfterSeconds: 1200, journalDir: '/var/lib/kube-firedrill/journal' });
  });

  it('names the field of a deadline too short and of a relative journal folder', () => {
    expect(() => parseProfile(stringify({ ...validProfile(), safety: { selfHealAfterSeconds: 5 } }), 'staging.yaml')).to.throw(/safety\.selfHealAfterSeconds/);
    expect(() => parseProfile(stringify({ ...validProfile(), safety: { journalDir: 'journal' } }), 'staging.yaml')).to.throw(/safety\.journalDir.*absolute path/);
  });
});
