/**
 * The ceiling: a bare Node `http` server answering every request with the
 * same pre-serialized JSON body (as large as the API's list page). Whatever
 * the API reaches is reported as a share of this.
 * Usage: node ceiling-server.mjs <body file> <port>
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const body = readFileSync(process.argv[2]);
const port = Number(process.argv[3]);
createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
}).listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
