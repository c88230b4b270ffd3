/** Hash routes: the server serves one page, and hash links work from a home-screen shortcut offline. */
export type ViewName = 'worker' | 'manage' | 'plan';

function viewFromHash(): ViewName {
  const hash = location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return hash === 'manage' || hash === 'plan' ? hash : 'worker';
}

export const route = $state({ view: viewFromHash() as ViewName });

window.addEventListener('hashchange', () => {
  route.view = viewFromHash();
});
