// Shell quoting: safe words stay as they are, everything else is single-quoted so the shell reads it back literally.
import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import { quoteArg, shellQuote } from '../../../src/transport/shell-quote.ts';

/** What /bin/sh hands to a command for this command line: one argument per line of printf. */
function shellArgs(commandLine: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `for a in ${commandLine}; do printf '%s\\0' "$a"; done`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  it('leaves safe arguments unquoted', () => {
    expect(shellQuote(['systemctl', 'stop', 'kube-apiserver.service'])).to.equal('systemctl stop kube-apiserver.service');
    expect(quoteArg('/etc/kubernetes/manifests/etcd.yaml')).to.equal('/etc/kubernetes/manifests/etcd.yaml');
    expect(quoteArg('user@host:a,b=c+d%e_f')).to.equal('user@host:a,b=c+d%e_f');
  });

  it('quotes the empty string', () => {
    expect(quoteArg('')).to.equal("''");
    expect(shellQuote(['echo', ''])).to.equal("echo ''");
  });

  it('single-quotes anything else and escapes single quotes', () => {
    expect(quoteArg('a b')).to.equal("'a b'");
    expect(quoteArg("it's")).to.equal("'it'\\''s'");
    expect(quoteArg('$HOME')).to.equal("'$HOME'");
    expect(quoteArg('~')).to.equal("'~'");
  });

  it('lets no argument inject shell: /bin/sh reads every one back literally', () => {
    const nasty = [
      "'; touch /tmp/pwned; '",
      '$(id)',
      '`id`',
      'a;b|c&d',
      '"double" \\back',
      "new\nline",
      '*',
      '-n',
      '!event',
      '',
      'tab\tsep',
      "''''",
      'ünïcødé',
    ];
    expect(shellArgs(shellQuote(nasty))).to.deep.equal(nasty);
  });
});
