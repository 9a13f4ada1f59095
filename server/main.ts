// Entry point of `verdict-language-server`: stdio (`--stdio`), node IPC (`--node-ipc`) or a socket,
// as vscode-languageserver reads from the command line.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { VerdictServer } from './server';

new VerdictServer(createConnection(ProposedFeatures.all)).listen();
