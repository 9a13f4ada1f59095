// The fix for a language whose image is missing (the server's lens "⚠ C++: image missing — build it"):
// `verdict images build ID` as a VS Code task, in a terminal the user watches, then the server looks
// again so the lenses and the languages offered change at once. Docker builds it, not the editor.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { VerdictServer } from './language-client';
import { imageBuildCommand } from '../protocol/images';
import { errorText } from './format';

/**
 * The CLI of this checkout (bin/verdict.js beside the extension's dist/, run by VS Code's own Node) when
 * there is one; else `verdict` on the PATH (`npm link` in a clone, see the README).
 */
function buildExecution(id: string): vscode.ProcessExecution | vscode.ShellExecution {
  const cli = path.join(__dirname, '..', '..', 'bin', 'verdict.js');
  if (existsSync(cli))
    return new vscode.ProcessExecution(process.execPath, [cli, 'images', 'build', id], { env: { ELECTRON_RUN_AS_NODE: '1' } });
  return new vscode.ShellExecution(imageBuildCommand(id));
}

/** "Verdict: Build a Language's Image": the lens's language, or one picked from those that cannot run here. */
export async function buildImage(server: VerdictServer | undefined, arg: unknown): Promise<void> {
  if (!server?.running) return void vscode.window.showErrorMessage('Verdict: the language server is not running.');
  let id = typeof arg === 'string' ? arg : undefined;
  if (!id) {
    let missing;
    try {
      missing = (await server.languages(true)).filter((l) => !l.usable && l.build);
    } catch (e) {
      return void vscode.window.showErrorMessage(`Verdict: ${errorText(e)}`);
    }
    if (missing.length === 0)
      return void vscode.window.showInformationMessage('Verdict: every language can run here; no image is missing.');
    const builds = [...new Map(missing.map((l) => [l.build!, l])).values()];
    const picked = await vscode.window.showQuickPick(
      builds.map((l) => ({ label: l.name, description: imageBuildCommand(l.build!), id: l.build! })),
      { title: 'Verdict: build the image of', placeHolder: 'Languages whose image is missing' },
    );
    id = picked?.id;
  }
  if (!id) return;
  const task = new vscode.Task(
    { type: 'verdict-images', language: id },
    vscode.TaskScope.Workspace,
    `build the ${id} image`,
    'verdict',
    buildExecution(id),
  );
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };
  const execution = await vscode.tasks.executeTask(task);
  const ended = vscode.tasks.onDidEndTaskProcess((e) => {
    if (e.execution !== execution) return;
    ended.dispose();
    // Built or not, the server looks again: the lenses say what is true now.
    void server.languages(true).then(
      (statuses) => {
        if (e.exitCode === 0 && statuses.some((l) => l.id === id && l.usable))
          void vscode.window.showInformationMessage(`Verdict: the ${id} image is built; ▶ Run works now.`);
      },
      () => undefined,
    );
  });
}
