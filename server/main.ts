// Entry point of `verdict-language-server`: stdio (`--stdio`), node IPC (`--node-ipc`) or a socket,
// as vscode-languageserver reads from the command line.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { VerdictServer } from './server';

const connection = createConnection(ProposedFeatures.all);
// One failed promise (a client that rejects a request, a runner error) must never end the server.
process.on('unhandledRejection', (reason) => {
  const text = `verdict: unhandled rejection: ${(reason as Error)?.stack ?? reason}`;
  process.stderr.write(text + '\n');
  connection.console.error(text);
});
new VerdictServer(connection).listen();
