// `mailwire` command line: `mailwire sandbox`, `mailwire run`, `mailwire demo`.
function main(argv: readonly string[]): number {
  const [command] = argv;
  process.stderr.write(`mailwire: unknown command ${command ?? '(none)'}\n`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
