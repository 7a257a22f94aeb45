using System.CommandLine;
using Workbench.Experiments;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench sensitivity SCENARIO --parameters FILE.json --method sobol|morris --samples N [--metrics a,b] [--seed S]
/// [--threads T] [--out DIR]</c> (docs/sensitivity.md): global sensitivity analysis of a scenario on the sweep machinery.
/// <c>--plan-only --shards K --out DIR</c> plans it as a sweep (run with <c>workbench sweep run</c>, merge with
/// <c>workbench sweep merge</c>); <c>--analyse DIR</c> then computes the indices from the merged results.
/// </summary>
internal sealed class SensitivityCommand : CliCommand
{
    public override Command Build()
    {
        var file = new Argument<string?>("SCENARIO") { Description = $"Scenario file (JSON), or a built-in scenario ({string.Join(", ", Scenario.BuiltinNames)}). Not with --analyse.", Arity = ArgumentArity.ZeroOrOne };
        var parameters = new Option<string?>("--parameters") { Description = "Parameters file (JSON): each parameter's name, path in the scenario, low, high, distribution (uniform|loguniform), integer." };
        var method = new Option<string>("--method") { Description = "sobol (variance-based S1 and ST with bootstrap intervals) or morris (elementary-effects screening).", DefaultValueFactory = _ => "sobol" };
        var samples = new Option<int?>("--samples") { Description = "Sobol: base sample size N (N·(k+2) runs; powers of two are best). Morris: trajectories r (r·(k+1) runs)." };
        var metrics = new Option<string?>("--metrics") { Description = "Comma-separated metrics, quantity[:party][:system][@arm], e.g. seatGain:Red:FPTP,costPerSeat:Red:FPTP (default: the parameters file's, else the first campaigning party's seat gains and share gain)." };
        var seed = new Option<int?>("--seed") { Description = "Seed of the Morris trajectories and the bootstrap (default: the scenario's). The simulations use the scenario's seed." };
        var levels = new Option<int>("--levels") { Description = "Morris grid levels p (even).", DefaultValueFactory = _ => Sensitivity.DefaultLevels };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for the Sobol' intervals.", DefaultValueFactory = _ => Sensitivity.DefaultBootstrap };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores). Results do not depend on it." };
        var output = new Option<string?>("--out") { Description = "Folder for runs.csv/.parquet, indices.csv/.parquet, summary.json, chart.html and the sweep's results (with --plan-only: the plan)." };
        var planOnly = new Option<bool>("--plan-only") { Description = "Only plan the runs as a sweep in --out (plan.json, sweep.sbatch, parallel.sh, sensitivity.json); run with 'workbench sweep run', merge with 'workbench sweep merge', then --analyse." };
        var shards = new Option<int>("--shards") { Description = "With --plan-only: number of shards (array tasks).", DefaultValueFactory = _ => 1 };
        var cpus = new Option<int>("--cpus-per-task") { Description = "With --plan-only: CPUs per shard for the sbatch file.", DefaultValueFactory = _ => 2 };
        var mem = new Option<string>("--mem") { Description = "With --plan-only: memory per shard, e.g. 4G.", DefaultValueFactory = _ => "4G" };
        var time = new Option<string>("--time") { Description = "With --plan-only: wall-time limit per shard.", DefaultValueFactory = _ => "01:00:00" };
        var command = new Option<string?>("--command") { Description = "With --plan-only: how compute nodes start workbench." };
        var evidence = SimulateCommand.EvidenceOption();
        var analyse = new Option<string?>("--analyse") { Description = "Compute the indices of a planned analysis whose shards were merged ('workbench sweep merge DIR'); writes into DIR (or --out)." };
        var cmd = new Command("sensitivity", "Global sensitivity analysis of a scenario: Sobol' indices (Saltelli design, bootstrap intervals) or Morris screening, run as a sweep (shardable over Slurm).")
        {
            file, parameters, method, samples, metrics, seed, levels, bootstrap, threads, output, planOnly, shards, cpus, mem, time, command, evidence, analyse,
        };
        cmd.SetAction(parse =>
        {
            int t = parse.GetValue(threads) ?? Environment.ProcessorCount;
            if (t < 1 || t > 1024) throw new UsageException($"--threads must be between 1 and 1024; got {t}.");
            if (parse.GetValue(analyse) is string dir) return Analyse(dir, parse.GetValue(output), t, parse.GetValue(file) is not null || parse.GetValue(parameters) is not null || parse.GetValue(planOnly)
                || parse.GetValue(samples) is not null || parse.GetValue(metrics) is not null || parse.GetValue(seed) is not null || parse.GetValue(evidence) is not null);
            var study = Create(parse.GetValue(file), parse.GetValue(parameters), parse.GetValue(method)!, parse.GetValue(samples), parse.GetValue(metrics),
                parse.GetValue(seed), parse.GetValue(levels), parse.GetValue(bootstrap), SimulateCommand.CheckEvidence(parse.GetValue(evidence)));
            string? outDir = parse.GetValue(output);
            if (parse.GetValue(planOnly))
            {
                if (outDir is null) throw new UsageException("--plan-only needs --out DIR for the plan.");
                int n = parse.GetValue(shards), c = parse.GetValue(cpus);
                if (n < 1 || n > study.Sweep.ItemCount) throw new UsageException($"--shards must be between 1 and the number of runs ({study.Sweep.ItemCount}); got {n}.");
                if (c < 1 || c > 1024) throw new UsageException($"--cpus-per-task must be between 1 and 1024; got {c}.");
                outDir = Outputs.Folder(outDir, "--out");
                try { study.Plan(outDir, n, new SweepLaunchOptions(c, parse.GetValue(mem)!, parse.GetValue(time)!, Command: parse.GetValue(command))); }
                catch (InvalidOperationException ex) { throw new UsageException(ex.Message); }
                var full = Path.GetFullPath(outDir);
                Console.Out.WriteLine($"Planned a {study.Design.Method.ToString().ToLowerInvariant()} analysis of '{study.Scenario.Name}': {study.Design.Runs} runs × {study.Sweep.Replicates} replicate(s) in {n} shard(s) in {full}");
                Console.Out.WriteLine($"  Slurm:  sbatch {Path.Combine(full, "sweep.sbatch")}   (or locally: workbench sweep run {outDir} --all)");
                Console.Out.WriteLine($"  then:   workbench sweep merge {outDir} && workbench sensitivity --analyse {outDir}");
                return ExitCodes.Ok;
            }
            SimulateCommand.CheckMemory(study.Scenario with { Replicates = 1 }, t);
            if (outDir is not null) outDir = Outputs.Folder(outDir, "--out");
            var progress = new Progress<SweepProgress>(x => Console.Error.Write(Console.IsErrorRedirected ? "" : $"\rrun {x.Done}/{x.Total}"));
            var (result, sweep) = study.Run(t, progress);
            if (!Console.IsErrorRedirected) Console.Error.WriteLine();
            if (outDir is not null) { sweep.Write(outDir); result.Write(outDir, study.SummaryExtra()); }
            Print(result, study);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static SensitivityStudy Create(string? path, string? parametersFile, string method, int? samples, string? metrics, int? seed, int levels, int bootstrap, string? evidence)
    {
        if (path is null) throw new UsageException("Give a SCENARIO (a file or a built-in name), or --analyse DIR for a planned analysis.");
        SimulateCommand.CheckScenario(path);
        if (parametersFile is null) throw new UsageException("--parameters FILE.json is required: the parameters to vary, with their ranges (see docs/sensitivity.md).");
        if (!File.Exists(parametersFile)) throw new UsageException($"--parameters: the file '{parametersFile}' does not exist.");
        var m = method switch
        {
            "sobol" => SensitivityMethod.Sobol,
            "morris" => SensitivityMethod.Morris,
            _ => throw new UsageException($"--method must be sobol or morris; got '{method}'."),
        };
        if (samples is not int n) throw new UsageException("--samples N is required (Sobol: base sample size, e.g. 128; Morris: trajectories, e.g. 20).");
        if (m == SensitivityMethod.Sobol && (n < 2 || n > 1 << 20)) throw new UsageException($"--samples must be between 2 and 1048576 for sobol; got {n}.");
        if (m == SensitivityMethod.Morris && (n < 2 || n > 100_000)) throw new UsageException($"--samples must be between 2 and 100000 for morris; got {n}.");
        if (levels < 2 || levels > 100 || levels % 2 != 0) throw new UsageException($"--levels must be an even number between 2 and 100; got {levels}.");
        if (bootstrap < 0 || bootstrap > 100_000) throw new UsageException($"--bootstrap must be between 0 and 100000; got {bootstrap}.");
        var spec = SensitivitySpec.Load(parametersFile);
        int k = spec.Parameters.Count;
        if (m == SensitivityMethod.Sobol && k > Sensitivity.MaxSobolParameters) throw new UsageException($"--parameters: a Sobol' analysis takes at most {Sensitivity.MaxSobolParameters} parameters; the file has {k}.");
        long runs = m == SensitivityMethod.Sobol ? (long)n * (k + 2) : (long)n * (k + 1);
        if (runs * spec.Replicates > SweepSpec.MaxItems) throw new UsageException($"--samples {n} with {k} parameters and {spec.Replicates} replicate(s) gives {runs * spec.Replicates} runs; at most {SweepSpec.MaxItems} are allowed.");
        var scenario = SimulateCommand.LoadScenario(path);
        if (evidence is not null) scenario = scenario.WithEvidence(evidence);
        var names = metrics?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in names ?? spec.Metrics.ToArray())
        {
            try { SensitivityMetric.Parse(name, scenario); }
            catch (ArgumentException ex) { throw new UsageException((names is null ? "--parameters $.metrics: " : "--metrics: ") + ex.Message); }
        }
        if (names?.GroupBy(x => x).FirstOrDefault(g => g.Count() > 1) is { } dup) throw new UsageException($"--metrics: '{dup.Key}' is named twice.");
        return SensitivityStudy.Create(scenario, spec, m, n, names, seed, levels, bootstrap, File.Exists(path) ? Path.GetDirectoryName(Path.GetFullPath(path)) : null);
    }

    private static readonly System.Text.Json.JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static int Analyse(string dir, string? outDir, int threads, bool conflicting)
    {
        if (conflicting) throw new UsageException("--analyse DIR reads the scenario, parameters, samples, metrics and seed from DIR/sensitivity.json; do not give SCENARIO, --parameters, --samples, --metrics, --seed, --evidence or --plan-only with it.");
        if (!Directory.Exists(dir)) throw new UsageException($"--analyse: the folder '{dir}' does not exist.");
        SensitivityStudy study;
        try { study = SensitivityStudy.Load(dir); }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or System.Text.Json.JsonException) { throw new UsageException(ex.Message); }
        if (!File.Exists(Path.Combine(dir, "results.parquet")))
            throw new UsageException($"--analyse: '{dir}' has no merged results yet; run the shards ('workbench sweep run {dir} --all' or sbatch), then 'workbench sweep merge {dir}'.");
        var result = study.Analyse(SweepResult.Load(dir), threads);
        result.Write(outDir is null ? dir : Outputs.Folder(outDir, "--out"), study.SummaryExtra());
        Print(result, study);
        return ExitCodes.Ok;
    }

    private static void Print(SensitivityResult result, SensitivityStudy study)
    {
        var summary = result.Summary();
        foreach (var (key, value) in study.SummaryExtra()) summary[key] = value?.DeepClone();
        Console.Out.WriteLine(summary.ToJsonString(Pretty));
    }
}
