// A verdaccio registry on loopback, in a child process of the test: prints "READY <port>".
// Packages under @mg/* and create-mg-interface are served from its own storage; everything
// else is proxied from the npm registry the machine uses.
const { mkdirSync } = require('node:fs');
const { join } = require('node:path');
const { runServer } = require('verdaccio');

const dir = process.argv[2];
const upstream = process.argv[3] || 'https://registry.npmjs.org/';
mkdirSync(join(dir, 'storage'), { recursive: true });
const local = { access: '$all', publish: '$authenticated', unpublish: '$authenticated' };
const config = {
  self_path: dir,
  storage: join(dir, 'storage'),
  uplinks: { upstream: { url: upstream, timeout: '60s', max_fails: 5 } },
  packages: { '@mg/*': local, 'create-mg-interface': local, '**': { access: '$all', publish: '$authenticated', proxy: 'upstream' } },
  auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: 10 } },
  logs: { type: 'stdout', format: 'pretty', level: 'error' },
  max_body_size: '50mb',
  security: { api: { legacy: true } },
};
runServer(config).then((app) => {
  const server = app.listen(0, '127.0.0.1', () => console.log(`READY ${server.address().port}`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
});
