// Starts each new, empty source file the user makes in VS Code (the Explorer's New File, a
// workspace edit) with their template for its language, verdict.languages.ID.template. The
// language server reads and fills it (protocol/template.ts), as it does for Competitive Companion.
import * as vscode from 'vscode';
import { displayText } from '../protocol/display';
import { errorText } from './format';
import type { VerdictServer } from './language-client';
import type { VerdictOutput } from './output-channel';

export class NewFileTemplates implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly server: () => VerdictServer | undefined,
    private readonly output: VerdictOutput,
  ) {
    this.subscription = vscode.workspace.onDidCreateFiles((e) => {
      for (const uri of e.files) void this.fill(uri);
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private async fill(uri: vscode.Uri): Promise<void> {
    const server = this.server();
    if (uri.scheme !== 'file' || !server?.running) return;
    try {
      if (!(await this.empty(uri))) return;
      const text = await server.newSourceText(uri);
      // Still empty: the user may have started typing (or something wrote it) while the server answered.
      if (!text || !(await this.empty(uri))) return;
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (open) {
        // An edit of the open document, so Undo takes the template back out.
        const edit = new vscode.WorkspaceEdit();
        edit.insert(uri, new vscode.Position(0, 0), text);
        if (await vscode.workspace.applyEdit(edit)) await open.save();
      } else await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    } catch (e) {
      this.output.line(`✘ The template for ${vscode.workspace.asRelativePath(uri)} was not written: ${displayText(errorText(e))}`);
    }
  }

  /** A regular file of no bytes, and no unsaved text in an editor. */
  private async empty(uri: vscode.Uri): Promise<boolean> {
    const stat = await vscode.workspace.fs.stat(uri);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    return stat.type === vscode.FileType.File && stat.size === 0 && (!open || (!open.isDirty && open.getText().length === 0));
  }
}
