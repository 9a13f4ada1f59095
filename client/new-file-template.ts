// Starts each new, empty source file the user makes in VS Code (the Explorer's New File, a
// workspace edit, "Verdict: New Source File from Template") with their template for its language,
// verdict.languages.ID.template. The language server reads and fills it (protocol/template.ts), as
// it does for Competitive Companion.
import * as vscode from 'vscode';
import { displayText } from '../protocol/display';
import { errorText } from './format';
import type { VerdictServer } from './language-client';
import type { VerdictOutput } from './output-channel';

export class NewFileTemplates implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  /** Files the command makes: it fills them itself (and says when there is no template). */
  private readonly byCommand = new Set<string>();

  constructor(
    private readonly server: () => VerdictServer | undefined,
    private readonly output: VerdictOutput,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidCreateFiles((e) => {
        for (const uri of e.files) if (!this.byCommand.has(uri.toString())) void this.fill(uri);
      }),
      vscode.commands.registerCommand('verdict.newFromTemplate', () => this.newFile()),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  /** "Verdict: New Source File from Template": asks where, makes the file, fills it and opens it. */
  private async newFile(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = await vscode.window.showSaveDialog({
      title: 'Verdict: new source file (its extension picks the language and its template)',
      saveLabel: 'Create',
      ...(folder ? { defaultUri: folder } : {}),
    });
    if (!uri) return;
    const edit = new vscode.WorkspaceEdit();
    edit.createFile(uri, { overwrite: false, ignoreIfExists: true });
    this.byCommand.add(uri.toString());
    try {
      await vscode.workspace.applyEdit(edit);
      const filled = await this.fill(uri);
      await vscode.window.showTextDocument(uri, { preview: false });
      if (filled === 'no template')
        void vscode.window.showInformationMessage(
          `Verdict: no template for ${vscode.workspace.asRelativePath(uri)}'s language: set verdict.languages.ID.template to a file.`,
        );
    } finally {
      this.byCommand.delete(uri.toString());
    }
  }

  private async fill(uri: vscode.Uri): Promise<'filled' | 'no template' | 'not empty' | 'failed'> {
    const server = this.server();
    if (uri.scheme !== 'file' || !server?.running) return 'failed';
    try {
      if (!(await this.empty(uri))) return 'not empty';
      const text = await server.newSourceText(uri);
      if (!text) return 'no template';
      // Still empty: the user may have started typing (or something wrote it) while the server answered.
      if (!(await this.empty(uri))) return 'not empty';
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (open) {
        // An edit of the open document, so Undo takes the template back out.
        const edit = new vscode.WorkspaceEdit();
        edit.insert(uri, new vscode.Position(0, 0), text);
        if (await vscode.workspace.applyEdit(edit)) await open.save();
      } else await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
      return 'filled';
    } catch (e) {
      this.output.line(`✘ The template for ${vscode.workspace.asRelativePath(uri)} was not written: ${displayText(errorText(e))}`);
      return 'failed';
    }
  }

  /** A regular file of no bytes, and no unsaved text in an editor. */
  private async empty(uri: vscode.Uri): Promise<boolean> {
    const stat = await vscode.workspace.fs.stat(uri);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    return stat.type === vscode.FileType.File && stat.size === 0 && (!open || (!open.isDirty && open.getText().length === 0));
  }
}
