// The secrets in the files a profile names are found, so that outputs can mask them; public values are not.
import { expect } from 'chai';
import { stringify } from 'yaml';
import { awsCredentialsSecrets, kubeconfigSecrets } from '../../../src/profile/profile-secrets.ts';

describe('secrets of the files a profile names', () => {
  it('finds the kubeconfig users\' tokens, keys, passwords and exec secrets, not certificates or servers', () => {
    const kubeconfig = stringify({
      apiVersion: 'v1',
      clusters: [{ name: 'c', cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority-data': 'Q0EtREFUQQ==' } }],
      users: [
        { name: 'admin', user: { token: 'token-value-1', 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZLURBVEE=' } },
        { name: 'basic', user: { username: 'bob', password: 'password-value', tokenFile: '/var/run/token' } },
        { name: 'oidc', user: { 'auth-provider': { name: 'oidc', config: { 'id-token': 'id-token-value', 'refresh-token': 'refresh-value', 'client-secret': 'client-secret-value', 'client-id': 'public' } } } },
        { name: 'exec', user: { exec: { command: 'aws', env: [{ name: 'VAULT_TOKEN', value: 'vault-token-value' }, { name: 'REGION', value: 'eu-west-1' }] } } },
      ],
    });
    expect(kubeconfigSecrets(kubeconfig).sort()).to.deep.equal(
      ['S0VZLURBVEE=', 'client-secret-value', 'id-token-value', 'password-value', 'refresh-value', 'token-value-1', 'vault-token-value'].sort(),
    );
    expect(kubeconfigSecrets('not: [yaml')).to.deep.equal([]);
  });

  it('finds the AWS credentials file\'s secret keys and session tokens', () => {
    const file = '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\n[other]\nAWS_SESSION_TOKEN=FwoGZXIvYXdzEXAMPLE\nregion = eu-west-1\n';
    expect(awsCredentialsSecrets(file)).to.deep.equal(['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'FwoGZXIvYXdzEXAMPLE']);
  });
});
