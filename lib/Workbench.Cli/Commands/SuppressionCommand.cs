using System.CommandLine;
using Workbench.Experiments;
using Workbench.Tables;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench suppression SCENARIO --arm A --victim PARTY [--draws N] [--replicate R] [--evidence E] [--replicates R] [--voters N]
/// [--seed S] [--top K] [--threads T] [--out FILE.csv]</c>: voter suppression priced as measured (docs/regulation.md) — the
/// victim's seats lost with 95% intervals over replicates and over re-drawn election days, the seats most likely to flip
/// beside their analytic pivotality, and the voter groups whose turnout fell most.
/// </summary>
internal sealed class SuppressionCommand : CliCommand
{
    public override Command Build()
    {
        var file = new Argument<string>("SCENARIO") { Description = $"Scenario file (JSON), or the name of a built-in scenario ({string.Join(", ", Scenario.BuiltinNames)})." };
        var arm = new Option<string>("--arm") { Description = "The arm whose campaigns demobilise.", Required = true };
        var victim = new Option<string>("--victim") { Description = "The party whose supporters are demobilised.", Required = true };
        var draws = new Option<int>("--draws") { Description = $"Election-day draws of the replicate studied in detail (1–{Workbench.Suppression.SuppressionDrawing.MaxDraws:N0}).", DefaultValueFactory = _ => SuppressionStudy.DefaultDraws };
        var replicate = new Option<int>("--replicate") { Description = "The replicate studied in detail (0-based).", DefaultValueFactory = _ => 0 };
        var replicates = new Option<int?>("--replicates") { Description = "Replicates (default: the scenario's)." };
        var seed = new Option<int?>("--seed") { Description = "Master seed (default: the scenario's)." };
        var voters = new Option<int?>("--voters") { Description = "Voters (default: the scenario's); budgets and capacities scale with it." };
        var top = new Option<int>("--top") { Description = "Seats and groups to print (1–1,000).", DefaultValueFactory = _ => 10 };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores). Results do not depend on it." };
        var output = new Option<string?>("--out") { Description = "Also write every figure (seats lost, each constituency's flip probability, each group's turnout change) as CSV to this file." };
        var evidence = SimulateCommand.EvidenceOption();
        var allowOutside = SimulateCommand.AllowOutsidePathsOption();
        var cmd = new Command("suppression", "Voter suppression as measured: the victim's seats lost (95% intervals over replicates and over re-drawn election days), the seats most likely to flip beside their analytic pivotality, and the voter groups whose turnout fell most.")
        {
            file, arm, victim, draws, replicate, replicates, voters, seed, evidence, top, threads, output, allowOutside,
        };
        cmd.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            SimulateCommand.CheckScenario(path);
            int d = parse.GetValue(draws);
            if (d < 1 || d > Workbench.Suppression.SuppressionDrawing.MaxDraws) throw new UsageException($"--draws must be between 1 and {Workbench.Suppression.SuppressionDrawing.MaxDraws}; got {d}.");
            int? r = parse.GetValue(replicates), v = parse.GetValue(voters);
            if (r is < 1 or > 1000) throw new UsageException($"--replicates must be between 1 and 1,000; got {r}.");
            if (v is < Limits.MinSimulationVoters or > Limits.MaxSimulationVoters) throw new UsageException($"--voters must be between {Limits.MinSimulationVoters} and {Limits.MaxSimulationVoters}; got {v}.");
            int k = parse.GetValue(top);
            if (k < 1 || k > 1000) throw new UsageException($"--top must be between 1 and 1,000; got {k}.");
            int t = parse.GetValue(threads) ?? Environment.ProcessorCount;
            if (t < 1 || t > 1024) throw new UsageException($"--threads must be between 1 and 1024; got {t}.");
            string? ev = SimulateCommand.CheckEvidence(parse.GetValue(evidence));
            string? outPath = parse.GetValue(output);
            if (outPath is not null && !outPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"--out must end in .csv; got '{outPath}'.");
            var loaded = SimulateCommand.LoadScenario(path, parse.GetValue(allowOutside));
            var scenario = (ev is null ? loaded : loaded.WithEvidence(ev)).With(r, parse.GetValue(seed), v);
            string armName = parse.GetValue(arm)!, victimName = parse.GetValue(victim)!;
            if (!scenario.Arms.Any(a => a.Name == armName))
                throw new UsageException($"--arm: no arm named '{armName}' in {scenario.Name} (arms: {string.Join(", ", scenario.Arms.Select(a => a.Name))}).");
            var parties = scenario.Electorate.Parties.Select(p => p.Name).ToArray();
            if (!parties.Contains(victimName)) throw new UsageException($"--victim: '{victimName}' is not a party of {scenario.Name} (parties: {string.Join(", ", parties)}).");
            int rep = parse.GetValue(replicate);
            if (rep < 0 || rep >= scenario.Replicates) throw new UsageException($"--replicate must be between 0 and {scenario.Replicates - 1} (the scenario's replicates); got {rep}.");
            SimulateCommand.CheckMemory(scenario, t);
            if (outPath is not null) Outputs.File(outPath, "--out");
            Console.Error.WriteLine($"suppression: running {scenario.Name} ({scenario.Replicates} replicates of {scenario.Voters:N0} voters), then {d} election-day draws of replicate {rep}");
            var study = SuppressionStudy.Run(scenario, armName, victimName, d, rep, t);
            Console.Out.Write(study.ToText(k, k));
            if (outPath is not null) AtomicFile.WriteAllText(outPath, study.ToTable().ToCsv());
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
