// Runs inside the desktop VS Code that test/vscode-desktop/run.ts starts: Run and Judge through the
// extension's commands on the bundled examples, against the real local runner.
import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const examples = path.resolve(__dirname, '../../../examples'); // from dist/test/vscode-desktop
  const hello = vscode.Uri.file(path.join(examples, 'hello.py'));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(hello));
  const extension = vscode.extensions.all.find((e) => e.packageJSON.name === 'verdict');
  assert.ok(extension, 'the Verdict extension is loaded');
  await extension.activate();

  const ran = (await vscode.commands.executeCommand('verdict.run', hello.toString())) as { status: string; stdout: string };
  assert.equal(ran.status, 'Accepted');
  assert.equal(ran.stdout, 'Hello, World!\n');

  const aplusb = vscode.Uri.file(path.join(examples, 'aplusb.cpp'));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(aplusb));
  const judged = (await vscode.commands.executeCommand('verdict.judge', aplusb.toString())) as { status: string; tests: unknown[] };
  assert.equal(judged.status, 'Accepted');
  assert.equal(judged.tests.length, 3);
}
