// Redaction: every form a secret takes in a command or a message is masked, and ordinary text is left alone.
import { expect } from 'chai';
import { MASK, redactArgv, redactDeep, redactText, rememberSecrets } from '../../../src/engine/redact.ts';
import { emitRunEvent, onRunEvent, type RunEvent } from '../../../src/engine/run-events.ts';

const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06YWRtaW4ifQ.c2lnbmF0dXJlLXBhcnQ';

describe('redaction', () => {
  it('masks secret flags in an argv, as one word or two', () => {
    expect(redactArgv(['kubectl', '--token', 'abc123', 'get', 'pods'])).to.deep.equal(['kubectl', '--token', MASK, 'get', 'pods']);
    expect(redactArgv(['kubectl', '--token=abc123'])).to.deep.equal(['kubectl', `--token=${MASK}`]);
    expect(redactArgv(['tool', '--password', 'hunter2', '--db-password=x1', '-passphrase', 'p'])).to.deep.equal(['tool', '--password', MASK, `--db-password=${MASK}`, '-passphrase', MASK]);
    expect(redactArgv(['env', 'PASSWORD=hunter2', 'AWS_SECRET_ACCESS_KEY=abc', 'run'])).to.deep.equal(['env', `PASSWORD=${MASK}`, `AWS_SECRET_ACCESS_KEY=${MASK}`, 'run']);
  });

  it('masks -p only for programs that take a password there', () => {
    expect(redactArgv(['sshpass', '-p', 'hunter2', 'ssh', 'host'])).to.deep.equal(['sshpass', '-p', MASK, 'ssh', 'host']);
    expect(redactArgv(['sudo', '-n', '--', 'mysql', '-uroot', '-phunter2'])).to.deep.equal(['sudo', '-n', '--', 'mysql', '-uroot', `-p${MASK}`]);
    expect(redactArgv(['ssh', '-p', '2222', 'host'])).to.deep.equal(['ssh', '-p', '2222', 'host']);
    expect(redactArgv(['mkdir', '-p', '/var/lib/x'])).to.deep.equal(['mkdir', '-p', '/var/lib/x']);
    expect(redactArgv(['curl', '-u', 'admin:hunter2', 'https://x'])).to.deep.equal(['curl', '-u', `admin:${MASK}`, 'https://x']);
  });

  it('masks secrets inside a sh -c script', () => {
    const script = `PASSWORD=hunter2 tool --token abc123 && curl -H "Authorization: Bearer ${JWT}" https://api && mysql -u root -phunter2 db; sshpass -p 'pw 1' ssh h`;
    const [, , masked] = redactArgv(['sh', '-c', script]);
    expect(masked).to.not.match(/hunter2|abc123|pw 1/).and.not.include(JWT);
    expect(masked).to.equal(`PASSWORD=${MASK} tool --token ${MASK} && curl -H "Authorization: Bearer ${MASK}" https://api && mysql -u root -p${MASK} db; sshpass -p '${MASK}' ssh h`);
  });

  it('masks bearer tokens, AWS keys, URL passwords, private keys and key: value pairs in text', () => {
    expect(redactText('Authorization: Bearer abc.def-ghi')).to.equal(`Authorization: Bearer ${MASK}`);
    expect(redactText('key AKIAIOSFODNN7EXAMPLE in use')).to.equal(`key ${MASK} in use`);
    expect(redactText(`secret ${AWS_SECRET} leaked`)).to.equal(`secret ${MASK} leaked`);
    expect(redactText('aws_secret_access_key = abc/def')).to.equal(`aws_secret_access_key = ${MASK}`);
    expect(redactText('{"token":"abc","user":"bob"}')).to.equal(`{"token":"${MASK}","user":"bob"}`);
    expect(redactText('client-key-data: LS0tLS1CRUdJTi')).to.equal(`client-key-data: ${MASK}`);
    expect(redactText('GET https://admin:hunter2@example.com/x')).to.equal(`GET https://admin:${MASK}@example.com/x`);
    expect(redactText('-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----')).to.not.include('MIIE');
    expect(redactText(`token ${JWT}`)).to.equal(`token ${MASK}`);
  });

  it('leaves ordinary output alone, and is idempotent', () => {
    const plain = [
      'ssh -p 22 ubuntu@10.0.0.10 sudo systemctl start kubelet',
      'pgrep -x -- kube-apiserver exited 1',
      'git 0123456789abcdef0123456789abcdef01234567',
      'kube-system uid 6f1c2a3b-1111-2222-3333-444455556666',
      'etcdctl --cacert=/etc/kubernetes/pki/etcd/ca.crt --key=/etc/kubernetes/pki/etcd/server.key snapshot save',
      'node worker-1 NotReady after 41.2 s',
    ];
    for (const text of plain) expect(redactText(text)).to.equal(text);
    const once = redactText(`--token abc PASSWORD=x Bearer y ${AWS_SECRET}`);
    expect(redactText(once)).to.equal(once);
  });

  it('masks remembered secret values anywhere, ignoring values too short to be secrets', () => {
    rememberSecrets(['s3cr3t-from-kubeconfig', 'lab']);
    expect(redactText('the value s3cr3t-from-kubeconfig appeared')).to.equal(`the value ${MASK} appeared`);
    expect(redactText('the lab profile')).to.equal('the lab profile');
  });

  it('redacts every string of an event, argv as a command line', () => {
    const event = { kind: 'command', argv: ['kubectl', '--token', 'abc'], stderr: 'Bearer xyz denied', nested: { list: ['PASSWORD=1'] }, code: 1 };
    expect(redactDeep(event)).to.deep.equal({ kind: 'command', argv: ['kubectl', '--token', MASK], stderr: `Bearer ${MASK} denied`, nested: { list: [`PASSWORD=${MASK}`] }, code: 1 });
    expect(redactDeep({ a: null, b: undefined, c: [null, 2, true] })).to.deep.equal({ a: null, b: undefined, c: [null, 2, true] });
    const bare = Object.assign(Object.create(null) as Record<string, string>, { token: 'x1' });
    expect(redactDeep(bare)).to.deep.equal({ token: MASK });
    expect(redactDeep({ user: { password: 'short', privateKey: 'k', name: 'bob' } })).to.deep.equal({ user: { password: MASK, privateKey: MASK, name: 'bob' } });
    expect(redactDeep(Object.assign(Object.create(null) as Record<string, string>, { message: 'token: abc' }))).to.deep.equal({ message: `token: ${MASK}` });
  });

  it('is applied when an event is emitted, so no listener sees the secret', () => {
    const seen: RunEvent[] = [];
    const stop = onRunEvent((event) => seen.push(event));
    try {
      emitRunEvent({ kind: 'observation', drill: 'd', probe: 'p', text: `got ${JWT}` });
      emitRunEvent({ kind: 'command', drill: 'd', host: 'h', argv: ['x', '--password', 'hunter2'], sudo: false, code: 0, durationMs: 1, dryRun: true });
    } finally {
      stop();
    }
    expect(JSON.stringify(seen)).to.not.include(JWT).and.not.include('hunter2');
  });
});
