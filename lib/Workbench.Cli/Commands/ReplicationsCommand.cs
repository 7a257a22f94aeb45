using System.CommandLine;
using System.Globalization;
using Workbench.Behaviour;
using Workbench.Experiments;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench replications [--voters N] [--seed S] [--evidence NAME] [--threads T]</c>: reruns chapter 11's published findings
/// (<see cref="Replications.All"/>) and prints two tables: calibration targets (effects set to the published figure, which only check
/// that a simulated experiment recovers them) and out-of-sample checks (figures that emerge from the model). A finding outside its
/// tolerance is printed as not reproduced; that is a result, not a failure, so the exit code is 0 when the run completes.
/// </summary>
internal sealed class ReplicationsCommand : CliCommand
{
    public override Command Build()
    {
        var voters = new Option<int>("--voters") { Description = "Voters in the field-experiment electorate (classroom preset).", DefaultValueFactory = _ => 300_000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the field-experiment electorate.", DefaultValueFactory = _ => 11 };
        var evidence = new Option<string>("--evidence") { Description = $"Evidence preset the channels are calibrated to ({string.Join(", ", EvidenceSet.PresetNames)}).", DefaultValueFactory = _ => "central" };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores). Results do not depend on it." };
        var cmd = new Command("replications", "Rerun chapter 11's published findings: calibration targets and out-of-sample checks as two tables (published, simulated, tolerance, reproduced).")
        {
            voters, seed, evidence, threads,
        };
        cmd.SetAction(parse =>
        {
            int n = parse.GetValue(voters);
            if (n is < 10_000 or > 1_000_000) throw new UsageException($"--voters must be between 10000 and 1000000; got {n}.");
            string ev = parse.GetValue(evidence)!;
            if (!EvidenceSet.PresetNames.Contains(ev)) throw new UsageException($"--evidence must be one of {string.Join(", ", EvidenceSet.PresetNames)}; got '{ev}'.");
            int t = parse.GetValue(threads) ?? Environment.ProcessorCount;
            if (t < 1 || t > 1024) throw new UsageException($"--threads must be between 1 and 1024; got {t}.");
            var log = new Progress<string>(m => Console.Error.WriteLine($"workbench: {m}"));
            var all = Replications.All(n, parse.GetValue(seed), t, log, ev);
            Console.Out.Write(Format(all));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>The two tables as plain text, one row per finding, and a count of what was reproduced.</summary>
    internal static string Format(IReadOnlyList<Replication> all)
    {
        var sb = new System.Text.StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        foreach (var (kind, title) in new[] { (ReplicationKind.Calibration, "Calibration targets (effect set to the published figure; checks only that the experiment recovers it)"),
                                              (ReplicationKind.OutOfSample, "Out-of-sample checks (emerging from the model; nothing fitted to them)") })
        {
            var rows = all.Where(r => r.Kind == kind).ToArray();
            sb.AppendLine(title);
            string[] head = ["finding", "kind", "published", "simulated", "tolerance", "reproduced"];
            var cells = rows.Select(r => new[]
            {
                r.Finding, kind == ReplicationKind.Calibration ? "calibration" : "out-of-sample",
                r.Test switch { ReplicationTest.Above => "> " + r.Published.ToString("G4", ci), ReplicationTest.Below => "< " + r.Published.ToString("G4", ci), _ => r.Published.ToString("G4", ci) },
                r.Simulated.ToString("G4", ci), r.Tolerance.ToString("G3", ci), r.Reproduced ? "yes" : "NO",
            }).ToArray();
            var width = Enumerable.Range(0, head.Length).Select(c => Math.Max(head[c].Length, cells.Length == 0 ? 0 : cells.Max(x => x[c].Length))).ToArray();
            string Line(string[] x) => string.Join("  ", x.Select((v, c) => c == 0 ? v.PadRight(width[c]) : v.PadLeft(width[c]))).TrimEnd();
            sb.AppendLine(Line(head));
            foreach (var x in cells) sb.AppendLine(Line(x));
            sb.AppendLine(string.Create(ci, $"{rows.Count(r => r.Reproduced)} of {rows.Length} reproduced"));
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
