// The extension in a desktop VS Code, for laptops: @vscode/test-electron downloads VS Code, which
// cannot be reached from our CI (there, test/docker/vscode.test.ts runs it in code-server).
//   npm run test:vscode-desktop
import path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../../..'); // from dist/test/vscode-desktop
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(__dirname, 'suite.js'),
    launchArgs: [path.join(root, 'examples'), '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
