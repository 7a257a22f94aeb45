using System.CommandLine;
using System.Globalization;
using System.Text;
using Workbench.Experiments;
using Workbench.Tables;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench regulation [CARD...] [--against regulation-none] [--replicates R] [--voters N] [--seed S] [--evidence E] [--threads T] [--out FILE.csv]</c>:
/// runs regulation cards on the same electorates and seeds and prints each card against the reference card, per campaign and
/// system, with 95% intervals over replicates (docs/regulation.md).
/// </summary>
internal sealed class RegulationCommand : CliCommand
{
    /// <summary>The shipped regulation cards, in the order chapter 09 shows them.</summary>
    internal static readonly string[] ShippedCards =
    [
        "regulation-none", "regulation-human-scale", "regulation-spending-cap", "regulation-deterrence", "regulation-transparency",
        "regulation-silence-period", "platform-ad-ban", "platform-targeting-limits",
    ];

    public override Command Build()
    {
        var cards = new Argument<string[]>("CARD") { Description = $"Scenario files or built-in cards (default: {string.Join(", ", ShippedCards)}).", Arity = ArgumentArity.ZeroOrMore };
        var against = new Option<string>("--against") { Description = "The reference card every other card is compared with (a name or file; it is run too).", DefaultValueFactory = _ => "regulation-none" };
        var replicates = new Option<int?>("--replicates") { Description = "Replicates of every card (default: each card's; they must agree)." };
        var voters = new Option<int?>("--voters") { Description = "Voters (default: the cards'); budgets and caps scale with it, minimum audiences do not." };
        var seed = new Option<int?>("--seed") { Description = "Master seed of every card (default: the cards')." };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores). Results do not depend on it." };
        var output = new Option<string?>("--out") { Description = "Also write the table as CSV to this file." };
        var evidence = SimulateCommand.EvidenceOption();
        var allowOutside = SimulateCommand.AllowOutsidePathsOption();
        var cmd = new Command("regulation", "Compare regulation cards with a reference card on the same electorates and seeds: seats, vote share and turnout per campaign and system with 95% intervals, and violations, detections, take-downs and fines.")
        {
            cards, against, replicates, voters, seed, evidence, threads, output, allowOutside,
        };
        cmd.SetAction(parse =>
        {
            var names = parse.GetValue(cards) is { Length: > 0 } given ? given : ShippedCards;
            string reference = parse.GetValue(against)!;
            int t = parse.GetValue(threads) ?? Environment.ProcessorCount;
            if (t < 1 || t > 1024) throw new UsageException($"--threads must be between 1 and 1024; got {t}.");
            int? r = parse.GetValue(replicates), v = parse.GetValue(voters);
            if (r is < 1 or > 1000) throw new UsageException($"--replicates must be between 1 and 1,000; got {r}.");
            if (v is < Limits.MinSimulationVoters or > Limits.MaxSimulationVoters) throw new UsageException($"--voters must be between {Limits.MinSimulationVoters} and {Limits.MaxSimulationVoters}; got {v}.");
            string? ev = SimulateCommand.CheckEvidence(parse.GetValue(evidence));
            string? outPath = parse.GetValue(output);
            if (outPath is not null && !outPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"--out must end in .csv; got '{outPath}'.");
            var all = names.Contains(reference) ? names : [reference, .. names];
            var scenarios = new List<Scenario>();
            foreach (var name in all.Distinct())
            {
                SimulateCommand.CheckScenario(name);
                var sc = SimulateCommand.LoadScenario(name, parse.GetValue(allowOutside));
                if (ev is not null) sc = sc.WithEvidence(ev);
                scenarios.Add(sc.With(replicates: r, seed: parse.GetValue(seed), voters: v));
            }
            var first = scenarios[0];
            foreach (var sc in scenarios)
                if (sc.Voters != first.Voters || sc.Seed != first.Seed || sc.Replicates != first.Replicates)
                    throw new UsageException($"CARD: '{sc.Name}' has {sc.Voters:N0} voters, seed {sc.Seed} and {sc.Replicates} replicates, '{first.Name}' {first.Voters:N0}, {first.Seed} and {first.Replicates}; cards are compared on the same electorates, so give --voters, --seed and --replicates.");
            foreach (var sc in scenarios) SimulateCommand.CheckMemory(sc, t);
            if (outPath is not null) Outputs.File(outPath, "--out");
            var results = new List<SimulationResult>();
            foreach (var sc in scenarios)
            {
                Console.Error.WriteLine($"regulation: running {sc.Name} ({sc.Replicates} replicates of {sc.Voters:N0} voters)");
                results.Add(Simulation.Run(sc, t));
            }
            var referenceName = scenarios.First(s => s.Name == SimulateCommand.LoadScenario(reference, parse.GetValue(allowOutside)).Name).Name;
            var contrasts = RegulationLab.Contrasts(results, referenceName);
            var outcomes = results.SelectMany(RegulationLab.Tabulate).ToArray();
            string csv = Table(contrasts, outcomes).ToCsv();
            Console.Out.Write(Text(contrasts, outcomes, referenceName));
            if (outPath is not null) AtomicFile.WriteAllText(outPath, csv);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static string Interval(Estimate e, string f) => e.Low == e.High
        ? e.Mean.ToString(f, CultureInfo.InvariantCulture)
        : $"{e.Mean.ToString(f, CultureInfo.InvariantCulture)} ({e.Low.ToString(f, CultureInfo.InvariantCulture)}, {e.High.ToString(f, CultureInfo.InvariantCulture)})";

    /// <summary>The comparison as aligned text: one block per card.</summary>
    internal static string Text(IReadOnlyList<RegulationContrast> contrasts, IReadOnlyList<RegulationOutcome> outcomes, string reference)
    {
        var sb = new StringBuilder();
        sb.Append("Each card minus ").Append(reference).Append(", paired by replicate (same electorates and election-day draws): mean (95% interval).\n");
        foreach (var g in contrasts.GroupBy(c => c.Scenario))
        {
            sb.Append('\n').Append(g.Key).Append('\n');
            sb.Append(string.Format(CultureInfo.InvariantCulture, "  {0,-8} {1,-10} {2,-24} {3,-24} {4,-24} {5}\n", "party", "system", "Δ seats", "Δ share (pts)", "Δ turnout (pts)", "violations: detected, taken down, fines"));
            foreach (var c in g)
            {
                var o = outcomes.FirstOrDefault(x => x.Scenario == c.Scenario && x.Arm == c.Arm && x.System == c.System && x.Party == c.Party);
                string v = o is null ? "0" : string.Format(CultureInfo.InvariantCulture, "{0}: {1}, {2}, {3:N0}", o.Violations, o.Detected, o.TakenDown, o.Fines);
                sb.Append(string.Format(CultureInfo.InvariantCulture, "  {0,-8} {1,-10} {2,-24} {3,-24} {4,-24} {5}\n", c.Party, c.System,
                    Interval(c.SeatDifference, "F1"), Interval(c.ShareDifferencePoints, "F2"), Interval(c.TurnoutDifferencePoints, "F3"), v));
            }
        }
        return sb.ToString();
    }

    /// <summary>The comparison as a table (one row per card, arm, system and party; written as CSV).</summary>
    internal static ColumnTable Table(IReadOnlyList<RegulationContrast> contrasts, IReadOnlyList<RegulationOutcome> outcomes)
    {
        var o = contrasts.Select(c => outcomes.FirstOrDefault(x => x.Scenario == c.Scenario && x.Arm == c.Arm && x.System == c.System && x.Party == c.Party)).ToArray();
        TableColumn Col<T>(string name, Func<int, T> f) => new(name, Enumerable.Range(0, contrasts.Count).Select(f).ToArray());
        return new ColumnTable(
        [
            Col("card", i => contrasts[i].Scenario), Col("against", i => contrasts[i].Against), Col("arm", i => contrasts[i].Arm),
            Col("system", i => contrasts[i].System), Col("party", i => contrasts[i].Party), Col("replicates", i => contrasts[i].Replicates),
            Col("seats_diff", i => contrasts[i].SeatDifference.Mean), Col("seats_low", i => contrasts[i].SeatDifference.Low), Col("seats_high", i => contrasts[i].SeatDifference.High),
            Col("share_diff_pts", i => contrasts[i].ShareDifferencePoints.Mean), Col("share_low", i => contrasts[i].ShareDifferencePoints.Low), Col("share_high", i => contrasts[i].ShareDifferencePoints.High),
            Col("turnout_diff_pts", i => contrasts[i].TurnoutDifferencePoints.Mean), Col("turnout_low", i => contrasts[i].TurnoutDifferencePoints.Low), Col("turnout_high", i => contrasts[i].TurnoutDifferencePoints.High),
            Col("violations", i => o[i]?.Violations ?? 0), Col("detected", i => o[i]?.Detected ?? 0), Col("taken_down", i => o[i]?.TakenDown ?? 0), Col("fines", i => o[i]?.Fines ?? 0),
        ]);
    }
}
