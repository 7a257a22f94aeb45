using System.CommandLine;
using System.Text.Json;
using Workbench.Experiments;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench simulate SCENARIO.json [--replicates R] [--seed S] [--voters N] [--evidence NAME] [--regime NAME] [--threads T] [--out DIR]</c>:
/// runs a campaign scenario (docs/campaigns.md), writes results.csv, results.parquet,
/// summary.json and manifest.json to DIR (each atomically) and prints the JSON summary.
/// </summary>
internal sealed class SimulateCommand : CliCommand
{
    /// <summary>Fails with a usage error unless <paramref name="path"/> is a scenario file or a built-in scenario's name.</summary>
    internal static void CheckScenario(string path)
    {
        if (Directory.Exists(path)) throw new UsageException($"SCENARIO: '{path}' is a folder; a scenario file (JSON) or a built-in scenario name is expected.");
        if (!File.Exists(path) && !Scenario.BuiltinNames.Contains(path))
            throw new UsageException($"Scenario file '{path}' does not exist (built-in scenarios: {string.Join(", ", Scenario.BuiltinNames)}).");
    }

    /// <summary>A scenario from a file, or a built-in scenario by name.</summary>
    internal static Scenario LoadScenario(string path, bool allowOutsidePaths = false) => File.Exists(path) ? Scenario.Load(Inputs.File(path, "SCENARIO"), allowOutsidePaths) : Scenario.Builtin(path);

    /// <summary>Refuses (usage error) a scenario whose replicates, run <paramref name="threads"/> at a time, need more memory than this machine allows.</summary>
    internal static void CheckMemory(Scenario scenario, int threads, string? remedy = null)
    {
        int concurrent = Math.Max(1, Math.Min(threads, scenario.Replicates));
        long perVoter = Limits.SimulationBytesPerVoter + (concurrent - 1) * Limits.SimulationBytesPerVoterPerWorker;
        Limits.CheckMemory($"Simulating {scenario.Voters:N0} voters ({concurrent} replicate(s) at a time)", Limits.Estimate(scenario.Voters, perVoter),
            remedy ?? $"Use fewer voters (--voters) or fewer threads (--threads); at most about {Math.Max(0, (Limits.AvailableBytes - Limits.BaseBytes) / perVoter):N0} voters fit.");
    }

    /// <summary>The <c>--allow-outside-paths</c> flag of every command that reads scenario, sweep or card files.</summary>
    internal static Option<bool> AllowOutsidePathsOption() => new("--allow-outside-paths")
    {
        Description = "Let files named inside the input (a scenario's regime or electorate.specFile, a sweep's base, a card's scenario) lie outside the input's folder and the project's data folders (data-synthetic/, notebooks/).",
    };

    /// <summary>The <c>--evidence NAME</c> option (simulate, sweep plan).</summary>
    internal static Option<string?> EvidenceOption() => new("--evidence")
    {
        Description = $"Evidence preset for the channel effects ({string.Join(", ", Workbench.Behaviour.EvidenceSet.PresetNames)}; default: the scenario's \"evidence\", else central). The scenario's channel overrides still win.",
    };

    /// <summary>Fails with a usage error unless <paramref name="name"/> is null or an evidence preset.</summary>
    internal static string? CheckEvidence(string? name)
    {
        if (name is not null && !Workbench.Behaviour.EvidenceSet.PresetNames.Contains(name))
            throw new UsageException($"--evidence must be one of {string.Join(", ", Workbench.Behaviour.EvidenceSet.PresetNames)}; got '{name}'.");
        return name;
    }

    public override Command Build()
    {
        var file = new Argument<string>("SCENARIO") { Description = $"Scenario file (JSON), or the name of a built-in scenario ({string.Join(", ", Scenario.BuiltinNames)})." };
        var replicates = new Option<int?>("--replicates") { Description = "Replicates (default: the scenario's)." };
        var seed = new Option<int?>("--seed") { Description = "Master seed (default: the scenario's)." };
        var voters = new Option<int?>("--voters") { Description = "Voters per electorate (default: the scenario's); budgets and capacities scale with it." };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores). Results do not depend on it." };
        var evidence = EvidenceOption();
        var regime = new Option<string?>("--regime") { Description = $"Run under another built-in data regime ({string.Join(", ", Workbench.Data.DataRegime.PresetNames)}; default: the scenario's). Its regulation block still applies." };
        var output = new Option<string?>("--out") { Description = "Folder for results.csv, results.parquet, summary.json and manifest.json." };
        var allowOutside = AllowOutsidePathsOption();
        var cmd = new Command("simulate", "Run a campaign scenario: campaigns under a data regime, counted under several electoral systems, with replicates and common random numbers. Prints a JSON summary.")
        {
            file, replicates, seed, voters, evidence, regime, threads, output, allowOutside,
        };
        cmd.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            CheckScenario(path);
            string? reg = parse.GetValue(regime);
            if (reg is not null && !Workbench.Data.DataRegime.PresetNames.Contains(reg))
                throw new UsageException($"--regime must be one of {string.Join(", ", Workbench.Data.DataRegime.PresetNames)}; got '{reg}'.");
            int? r = parse.GetValue(replicates);
            if (r is < 1 or > 100_000) throw new UsageException($"--replicates must be between 1 and 100000; got {r}.");
            int? v = parse.GetValue(voters);
            if (v is < 1000 or > 50_000_000) throw new UsageException($"--voters must be between 1000 and 50000000; got {v}.");
            int t = parse.GetValue(threads) ?? Environment.ProcessorCount;
            if (t < 1 || t > 1024) throw new UsageException($"--threads must be between 1 and 1024; got {t}.");
            string? outDir = parse.GetValue(output);
            string? ev = CheckEvidence(parse.GetValue(evidence));
            var loaded = LoadScenario(path, parse.GetValue(allowOutside));
            if (reg is not null) loaded = loaded.WithRegime(reg);
            var scenario = (ev is null ? loaded : loaded.WithEvidence(ev)).With(r, parse.GetValue(seed), v);
            CheckMemory(scenario, t);
            if (outDir is not null) outDir = Outputs.Folder(outDir, "--out");
            var progress = Console.IsErrorRedirected ? null : new Progress<SimulationProgress>(p => Console.Error.Write($"\rreplicate {p.Done}/{p.Total}"));
            var result = Simulation.Run(scenario, t, progress);
            if (progress is not null) Console.Error.WriteLine();
            if (outDir is not null) result.Write(outDir);
            Console.Out.WriteLine(result.Summary().ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
