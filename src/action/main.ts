// Entry point of the GitHub Action (runs.main, on the runner's Node 24): the only action file that touches process.
// The action's code is loaded here, so that a ref without the shipped dependencies (re2's native build) fails with
// a message saying what to use instead of a bare module error.
let runAction: typeof import('./run.js').runAction;
try {
  ({ runAction } = await import('./run.js'));
} catch (error) {
  const why = (error as Error).message.split('\n')[0];
  process.stdout.write(
    `::error title=spillway::cannot load spillway's action (${why}). Use it from a release tag (uses: spillway/spillway@v1), which ships ` +
      `dist/ and node_modules with re2 built for Linux x64; on other runners or in Alpine containers run the CLI instead (npx spillway@1 history)\n`,
  );
  process.exit(2);
}
process.exitCode = await runAction({ env: process.env, stdout: (text) => process.stdout.write(text) });
