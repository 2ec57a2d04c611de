/** The text of `bench --help`, `bench help COMMAND` and `bench COMMAND --help`. */

const OVERRIDES = [
  'Overrides (Hydra style, the same on every command that takes them):',
  '  key=value        set a key          group=option   choose a config group option',
  '  +key=value       add a new key      ++key=value    add or set',
  '  ~key             remove a key',
  '  key=a,b,c  key=choice(a,b)  key=range(0,10,2)       sweep (product with other sweeps)',
  '  zip(a=1,2;b=x,y)                                     sweep keys in lockstep',
  '  experiment=NAME                                      an experiment from conf/experiment/',
];

const RUN_OPTIONS = [
  'Options:',
  '  -n, --dry-run        show what would run and why, run nothing',
  '  -j, --jobs N         parallel tasks (default: the host budget\'s cores)',
  '  -k, --keep-going     go on with independent tasks after a failure',
  '  --force TASK         rerun TASK (a name or a selection) even if up to date',
  '  -h, --help           this help          --version   print the version',
];

const COMMAND_HELP: Record<string, string[]> = {
  run: [
    'usage: bench [run] [TARGET...] [OVERRIDE...] [OPTIONS]',
    '',
    'Builds the targets (task names, or a name plus point filter: \'workload:run[scheduler=slurm]\')',
    'and whatever they need; `bench run` with no target builds every task.',
    '',
    ...RUN_OPTIONS, '', ...OVERRIDES,
  ],
  list: ['usage: bench list [OVERRIDE...]', '', 'Lists every task instance of the sweep.'],
  status: [
    'usage: bench status [TARGET...] [OVERRIDE...]', '',
    'Says which task instances are up to date, to restore from an earlier commit, stale (and why) or resources; then the processes',
    'using this cache (PID, command, time since their last heartbeat); then every live resource (kind, instance, owner: kept session,',
    'live run or dead run, age, and what the resource tells of itself).',
  ],
  up: ['usage: bench up TARGET [OVERRIDE...]', '', 'Brings a resource (e.g. service:deploy) and what it runs on up and keeps it up after bench returns,', 'as a kept session; later runs that need the same instance use it. bench down tears it down.'],
  down: ['usage: bench down [TARGET...]', '', 'Tears down kept sessions (all, or those matching TARGET and what runs on them), the last up first.'],
  explain: ['usage: bench explain TARGET [OVERRIDE...]', '', 'Shows the fingerprint record of a task instance and what changed since its last run.'],
  graph: ['usage: bench graph [TARGET...] [OVERRIDE...] [--format ascii|dot|mermaid|json|html]', '', 'Prints the task graph with what would run.'],
  clean: ['usage: bench clean [TARGET...] [--dry-run]', '', 'Tears down resources the ledger lists, then removes the cache (or only the TARGETs\' entries and outputs).', 'Published copies in results/ are kept; --dry-run lists what would go. Refused while a run uses the cache (its PID, command and last', 'heartbeat are named; a live run is never cleaned under, even a hung one: end it first).'],
  gc: ['usage: bench gc [--dry-run]', '', 'Tears down resources left by crashed runs and removes outputs no entry uses (other sweeps\' results are kept 30 days).', 'Refused while a run uses the cache.'],
  config: [
    'usage: bench config show [GROUP] [OVERRIDE...]',
    '       bench config sweep [OVERRIDE...]',
    '',
    'Prints the composed config (or one group of it), or the sweep points with their config hashes.',
    '', ...OVERRIDES,
  ],
  results: ['usage: bench results --format csv|json|parquet [--out DIR]', '', 'Exports the result tables for pandas, polars, DuckDB or a spreadsheet.'],
};

/** Help for one command, or the overview when `command` is undefined or unknown. */
export function helpText(command?: string): string {
  const lines = command && COMMAND_HELP[command] ? COMMAND_HELP[command] : overview();
  return `${lines.join('\n')}\n`;
}

function overview(): string[] {
  return [
    'bench: a content-hashed task graph for benchmarking HPC schedulers',
    '',
    'usage: bench [run] [TARGET...] [OVERRIDE...] [OPTIONS]',
    '       bench COMMAND [ARGS...]',
    '',
    'Commands:',
    '  run        build the targets and what they need (the default command)',
    '  list       list task instances            status   what is up to date and what is stale',
    '  explain    why a task would rerun         graph    the task graph (ascii, dot, mermaid, json, html)',
    '  config     show the composed config or the sweep points',
    '  results    export the result tables       clean    remove the cache (keeps results/)',
    '  gc         tear down leftovers of crashed runs, collect unused outputs',
    '  up         keep a resource up (a session)    down     tear kept sessions down',
    '  help [COMMAND]                            this help, or one command\'s',
    '',
    ...RUN_OPTIONS, '', ...OVERRIDES,
    '',
    'Exit status: 0 ok, 1 a task failed, 2 bad input, 130 interrupted.',
  ];
}
