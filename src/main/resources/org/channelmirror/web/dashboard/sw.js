// The dashboard's service worker: keeps the page's own files so the installed app opens without
// the network (it then shows the figures it saved last, and says the service does not answer).
// The JSON endpoints are never cached here: stale figures must not look live.
'use strict';

const CACHE = 'channel-mirror-@VERSION@';
const SHELL = ['./', 'app.js', 'app.css', 'manifest.webmanifest', 'icon.svg', 'icon-192.png', 'icon-512.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('channel-mirror-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  const scope = new URL(self.registration.scope);
  if (event.request.method !== 'GET' || url.origin !== scope.origin) return;
  const file = url.pathname.slice(scope.pathname.length);
  if (!SHELL.includes(file === '' ? './' : file)) return; // api/status, health, metrics: network only
  // the network first, so a new version shows at once; the cache when the service is away
  event.respondWith(fetch(event.request)
    .then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((c) => c.put(event.request, copy));
      }
      return response;
    })
    .catch(() => caches.match(event.request, { ignoreSearch: true })));
});
