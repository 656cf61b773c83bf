// The devices of the polling bench, on local TCP in a process of their own (so that their CPU
// is not the gateway's): each connection is one bus; `D37.4?` is answered `D37.4=<value>` at once.
import net from 'node:net';

let value = 0;
const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  let pending = '';
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString('latin1');
    let out = '';
    for (let end = pending.indexOf('\r'); end >= 0; end = pending.indexOf('\r')) {
      const request = pending.slice(0, end);
      pending = pending.slice(end + 1);
      if (request.endsWith('?')) out += `${request.slice(0, -1)}=${(value = (value + 7) % 1000)}\r`;
    }
    if (out) socket.write(out);
  });
  socket.on('error', () => undefined);
});
server.listen(0, '127.0.0.1', () => process.send?.({ type: 'ready', port: (server.address() as net.AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
