using System.CommandLine;
using Workbench.Experiments;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench sweep plan|run|status|merge</c> (docs/scale-out.md): parameter sweeps split into deterministic
/// shards that any scheduler able to run "task K of N" can run (Slurm array jobs, Kubernetes Indexed Jobs, GNU parallel).
/// </summary>
internal sealed class SweepCommand : CliCommand
{
    public override Command Build()
    {
        var cmd = new Command("sweep", "Parameter sweeps over a scenario, sharded for Slurm (or any scheduler) and merged into one result.");
        cmd.Add(BuildPlan()); cmd.Add(BuildRun()); cmd.Add(BuildStatus()); cmd.Add(BuildMerge());
        return cmd;
    }

    /// <summary><c>sweep plan</c>: expands a sweep into work items and shards and writes the plan and the launch files (Slurm, Kubernetes, GNU parallel).</summary>
    private static Command BuildPlan()
    {
        var file = new Argument<string>("SWEEP") { Description = $"Sweep file (JSON): a base scenario, parameter grids and replicates; or a built-in sweep ({string.Join(", ", SweepSpec.BuiltinNames)})." };
        var shards = new Option<int>("--shards") { Description = "Number of shards (array tasks).", DefaultValueFactory = _ => 1 };
        var outDir = new Option<string>("--out") { Description = "Folder for plan.json, the launch files, shards/ and the merged results.", Required = true };
        var cpus = new Option<int>("--cpus-per-task") { Description = "CPUs (threads) per shard, written to the sbatch file.", DefaultValueFactory = _ => 2 };
        var mem = new Option<string>("--mem") { Description = "Memory per shard, e.g. 4G.", DefaultValueFactory = _ => "4G" };
        var time = new Option<string>("--time") { Description = "Wall-time limit per shard, e.g. 01:00:00.", DefaultValueFactory = _ => "01:00:00" };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition (default: the cluster's)." };
        var account = new Option<string?>("--account") { Description = "Slurm account." };
        var command = new Option<string?>("--command") { Description = "How compute nodes start workbench (default: the way this command was started)." };
        var evidence = SimulateCommand.EvidenceOption();
        var image = new Option<string>("--image") { Description = "Container image for the Kubernetes manifest.", DefaultValueFactory = _ => "workbench:latest" };
        var allowOutside = SimulateCommand.AllowOutsidePathsOption();
        var plan = new Command("plan", "Expand a sweep into work items and shards; write DIR/plan.json, DIR/sweep.sbatch (Slurm array), DIR/k8s-indexed-job.yaml and DIR/parallel.sh.")
        {
            file, shards, outDir, cpus, mem, time, partition, account, command, image, evidence, allowOutside,
        };
        plan.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            if (Directory.Exists(path)) throw new UsageException($"SWEEP: '{path}' is a folder; a sweep file (JSON) or a built-in sweep name is expected.");
            if (!File.Exists(path) && !SweepSpec.BuiltinNames.Contains(path)) throw new UsageException($"Sweep file '{path}' does not exist (built-in sweeps: {string.Join(", ", SweepSpec.BuiltinNames)}).");
            // Count the grid before expanding it: every variant is a whole scenario in memory.
            if (File.Exists(path) && SweepSpec.CountVariants(File.ReadAllText(Inputs.File(path, "SWEEP"))) is long variants && variants > SweepSpec.MaxVariants)
                throw new UsageException($"Invalid spec: $.parameters: the grids give {variants:N0} variants (the product of the parameters' value counts); at most {SweepSpec.MaxVariants:N0} are allowed. Split the sweep.");
            var spec = SweepSpec.LoadOrBuiltin(path, SimulateCommand.CheckEvidence(parse.GetValue(evidence)), parse.GetValue(allowOutside));
            int n = parse.GetValue(shards);
            if (n < 1 || n > spec.ItemCount) throw new UsageException($"--shards must be between 1 and the number of work items ({spec.ItemCount}); got {n}.");
            int c = parse.GetValue(cpus);
            if (c < 1 || c > 1024) throw new UsageException($"--cpus-per-task must be between 1 and 1024; got {c}.");
            var p = SweepPlan.Create(spec, n);
            string dir = Outputs.Folder(parse.GetValue(outDir)!, "--out");
            try { p.Write(dir, new SweepLaunchOptions(c, parse.GetValue(mem)!, parse.GetValue(time)!, parse.GetValue(partition), parse.GetValue(account), parse.GetValue(command), parse.GetValue(image)!)); }
            catch (InvalidOperationException ex) { throw new UsageException(ex.Message); }
            Console.Out.WriteLine($"Planned '{spec.Name}': {spec.Variants.Count} variant(s) × {spec.Replicates} replicate(s) = {spec.ItemCount} item(s) in {n} shard(s) in {Path.GetFullPath(dir)}");
            Console.Out.WriteLine($"  Slurm:  sbatch {Path.Combine(Path.GetFullPath(dir), "sweep.sbatch")}");
            Console.Out.WriteLine($"  local:  workbench sweep run {dir} --all");
            Console.Out.WriteLine($"  then:   workbench sweep merge {dir}");
            return ExitCodes.Ok;
        });
        return plan;
    }

    /// <summary><c>sweep run</c>: runs one shard or every shard not yet done, one after another.</summary>
    private static Command BuildRun()
    {
        var dirArg = new Argument<string>("DIR") { Description = "A planned sweep folder." };
        var shard = new Option<int?>("--shard") { Description = "The shard to run (Slurm: $SLURM_ARRAY_TASK_ID)." };
        var all = new Option<bool>("--all") { Description = "Run every shard that is not done, one after another." };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores). Results do not depend on it." };
        var run = new Command("run", "Run one shard (--shard K) or all (--all) of a planned sweep; writes DIR/shards/K/ atomically. A finished shard is not run again.") { dirArg, shard, all, threads };
        run.SetAction(parse =>
        {
            string dir = parse.GetValue(dirArg)!;
            var p = LoadPlan(dir);
            int? k = parse.GetValue(shard); bool everything = parse.GetValue(all);
            if (k is null == !everything) throw new UsageException("Give exactly one of --shard K and --all.");
            if (k is int kk && (kk < 0 || kk >= p.Shards)) throw new UsageException($"--shard must be between 0 and {p.Shards - 1}; got {kk}.");
            int t = parse.GetValue(threads) ?? Environment.ProcessorCount;
            if (t < 1 || t > 1024) throw new UsageException($"--threads must be between 1 and 1024; got {t}.");
            // The node running the shard must hold its largest variant's electorates and simulations, up to t items at a time.
            int largest = p.Spec.Variants.Max(v => v.Scenario.Voters);
            SimulateCommand.CheckMemory(p.Spec.Variants.First(v => v.Scenario.Voters == largest).Scenario with { Replicates = p.Spec.ItemCount }, t,
                "Run the shard with fewer --threads, or on a node with more memory (plan the sweep with a larger --mem).");
            foreach (var s in k is int one ? [one] : Enumerable.Range(0, p.Shards))
            {
                var progress = new Progress<SweepProgress>(x => Console.Error.Write(Console.IsErrorRedirected ? $"shard {s}: item {x.Done}/{x.Total}\n" : $"\rshard {s}: item {x.Done}/{x.Total}"));
                bool ran;
                try { ran = Sweep.RunShard(p, dir, s, t, progress); }
                catch (Exception ex) when (ex is not (OperationCanceledException or ArgumentException or FileNotFoundException))
                {
                    // As every error of the CLI: one line with the exception's type, the stack trace only with --verbose. The
                    // failure record is named only when this failure wrote it (a full disk, for one, cannot take it).
                    var error = $"{ex.GetType().Name}: {ex.Message}";
                    bool recorded;
                    try { recorded = Sweep.Status(p, dir)[s] is { State: ShardState.Failed } st && st.Error == error; }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { recorded = false; }
                    bool verbose = parse.GetValue(Program.Verbose);
                    var line = string.Join(" ", error.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    Console.Error.WriteLine($"\nworkbench: shard {s} failed: {line} ({(recorded ? $"recorded in shards/{s}.failed.json; " : "")}fix and rerun the shard"
                        + (verbose ? ")" : "; rerun with --verbose for the stack trace)"));
                    if (verbose) Console.Error.WriteLine(ex.ToString());
                    return ExitCodes.Failed;
                }
                if (!Console.IsErrorRedirected) Console.Error.WriteLine();
                Console.Out.WriteLine(ran ? $"shard {s}: done ({p.ItemsOf(s).Count} items)" : $"shard {s}: already done, nothing to do");
            }
            return ExitCodes.Ok;
        });
        return run;
    }

    /// <summary><c>sweep status</c>: lists done, missing and failed shards.</summary>
    private static Command BuildStatus()
    {
        var sdir = new Argument<string>("DIR") { Description = "A planned sweep folder." };
        var status = new Command("status", "List done, missing and failed shards. Exit code 0 when every shard is done, 1 otherwise.") { sdir };
        status.SetAction(parse =>
        {
            string dir = parse.GetValue(sdir)!;
            var st = Sweep.Status(LoadPlan(dir), dir);
            foreach (var s in st) Console.Out.WriteLine($"shard {s.Shard}\t{s.State.ToString().ToLowerInvariant()}\t{s.Items} items{(s.Error is null ? "" : "\t" + s.Error)}");
            var groups = st.GroupBy(s => s.State).ToDictionary(g => g.Key, g => g.Count());
            Console.Out.WriteLine($"{groups.GetValueOrDefault(ShardState.Done)} done, {groups.GetValueOrDefault(ShardState.Missing)} missing, {groups.GetValueOrDefault(ShardState.Failed)} failed");
            return st.All(s => s.State == ShardState.Done) ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return status;
    }

    /// <summary><c>sweep merge</c>: merges every shard into one tidy results table and a merged manifest.</summary>
    private static Command BuildMerge()
    {
        var mdir = new Argument<string>("DIR") { Description = "A planned sweep folder whose shards are all done." };
        var mout = new Option<string?>("--out") { Description = "Where to write results.parquet, results.csv and manifest.json (default: DIR)." };
        var merge = new Command("merge", "Merge every shard into one tidy results table (results.parquet, results.csv) and a merged manifest; refuses while shards are missing.") { mdir, mout };
        merge.SetAction(parse =>
        {
            string dir = parse.GetValue(mdir)!;
            var plan = LoadPlan(dir);
            string into = Outputs.Folder(parse.GetValue(mout) ?? dir, parse.GetValue(mout) is null ? "DIR" : "--out");
            try
            {
                var result = Sweep.Merge(plan, dir, into);
                Console.Out.WriteLine($"Merged {result.Spec.ItemCount} items ({result.Table.RowCount} rows) into {Path.GetFullPath(parse.GetValue(mout) ?? dir)}");
                return ExitCodes.Ok;
            }
            catch (SweepIncompleteException ex) { Console.Error.WriteLine($"workbench: {ex.Message}"); return ExitCodes.Failed; }
        });
        return merge;
    }

    private static SweepPlan LoadPlan(string dir)
    {
        if (File.Exists(dir)) throw new UsageException($"DIR: '{dir}' is a file; a planned sweep folder is expected.");
        if (!Directory.Exists(dir)) throw new UsageException($"Sweep folder '{dir}' does not exist.");
        // A hand-edited plan.json with a missing field or a wrong type is a SpecValidationException naming the file and the
        // JSON path (SweepPlan.Load reads it through its contract): exit code 2 with every problem.
        try { return SweepPlan.Load(dir); }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or System.Text.Json.JsonException) { throw new UsageException(ex.Message); }
    }
}
