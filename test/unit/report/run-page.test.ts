// The run page: self-contained, with the parts a team presents after a game day, and small even with 5,000 events.
import { expect } from 'chai';
import { runPage } from '../../../src/report/html/run-page.ts';
import { sampleReport } from './sample-run.ts';

describe('run page', () => {
  it('has a timeline, an expectations table and facts for each drill, and no banner when everything was restored', () => {
    const page = runPage(sampleReport({ drills: 3 }));
    expect(page.match(/<svg class="timeline"/g)).to.have.length(3);
    expect(page.match(/<table class="expectations">/g)).to.have.length(3);
    expect(page).to.include('lab · Kubernetes v1.34.4 · 3 nodes');
    expect(page).not.to.include('role="alert"');
    expect(page).not.to.include('Partial report.');
  });

  it('puts a red banner with the manual fix on top when a restore failed', () => {
    const page = runPage(sampleReport({ drills: 2, notRestored: true }));
    const banner = page.indexOf('<div class="banner" role="alert"><strong>Not restored: the cluster may still be broken.</strong>');
    expect(banner).to.be.greaterThan(0);
    expect(banner).to.be.lessThan(page.indexOf('<section class="drill'));
    expect(page.slice(banner)).to.include('Fix it by hand: <code>ssh cp-1 sudo systemctl start etcd</code>');
  });

  it('loads nothing from anywhere: no src, no url(), only links to itself and its neighbour files', () => {
    const page = runPage(sampleReport({ drills: 2, deviated: true }));
    expect(page).not.to.match(/\ssrc=/);
    expect(page).not.to.match(/url\(/);
    expect(page).to.include(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;`);
    const links = [...page.matchAll(/href="([^"]*)"/g)].map((match) => match[1]);
    expect(links.filter((link) => !/^(#drill-|report\.json$|junit\.xml$|\.\.\/index\.html$)/.test(link ?? ''))).to.deep.equal([]);
  });

  it('stays under 1 MB for 7 drills and 5,000 Kubernetes events', () => {
    const page = runPage(sampleReport({ drills: 7, kubeEvents: 5_000, deviated: true }));
    expect(Buffer.byteLength(page)).to.be.lessThan(1_000_000);
  });
});
