// npm run bench -- <lab|probes|report|crash-matrix> [args]: runs one benchmark and prints its figures.
const BENCHMARKS = ['lab', 'probes', 'report', 'crash-matrix'] as const;

const [name, ...args] = process.argv.slice(2);
if (!name || !BENCHMARKS.includes(name as (typeof BENCHMARKS)[number])) {
  process.stderr.write(`usage: npm run bench -- <${BENCHMARKS.join('|')}> [args]\n`);
  process.exit(2);
}
const module = (await import(`./${name}.ts`)) as { default: (args: string[]) => Promise<void> };
await module.default(args);
process.exit(0);
