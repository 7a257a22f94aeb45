using System.CommandLine;
using System.Globalization;
using Workbench.Experiments;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench workshop CARD.json [--step N] [--out DIR]</c> (notebooks/workshop/): prints a workshop card's agenda with
/// its discussion questions; with <c>--step N</c> runs that step's scenario (offline) and prints what participants look at.
/// </summary>
internal sealed class WorkshopCommand : CliCommand
{
    public override Command Build()
    {
        var card = new Argument<string>("CARD") { Description = "A workshop card (notebooks/workshop/cards/workshop-60.json or workshop-120.json)." };
        var step = new Option<int?>("--step") { Description = "Run step N's scenario (1-based) and print its figures." };
        var output = new Option<string?>("--out") { Description = "With --step: also write the run's results (as workbench simulate --out does)." };
        var allowOutside = SimulateCommand.AllowOutsidePathsOption();
        var cmd = new Command("workshop", "Print a workshop card's agenda and questions, or run one of its steps offline (policy trainers).") { card, step, output, allowOutside };
        cmd.SetAction(parse =>
        {
            string path = parse.GetValue(card)!;
            if (!File.Exists(path) && !Directory.Exists(path)) throw new UsageException($"Workshop card '{path}' does not exist (cards are in notebooks/workshop/cards).");
            var c = WorkshopCard.Load(Inputs.File(path, "CARD"), parse.GetValue(allowOutside));
            var ci = CultureInfo.InvariantCulture;
            if (parse.GetValue(step) is not int n)
            {
                Console.Out.WriteLine($"{c.Title} — {c.Minutes} minutes, preset {c.Preset}\n{c.Goal}\n");
                int at = 0;
                for (int i = 0; i < c.Steps.Count; i++)
                {
                    var s = c.Steps[i];
                    Console.Out.WriteLine($"{i + 1}. [{at,3}–{at + s.Minutes,3} min] {s.Title}{(s.Scenario is null ? "" : $"   (run: workbench workshop {path} --step {i + 1})")}");
                    Console.Out.WriteLine($"   {s.Activity}");
                    foreach (var q in s.Questions) Console.Out.WriteLine($"   ? {q.Text} [{q.Recommendation}]");
                    at += s.Minutes;
                }
                return ExitCodes.Ok;
            }
            if (n < 1 || n > c.Steps.Count) throw new UsageException($"--step must be between 1 and {c.Steps.Count}; got {n}.");
            var st = c.Steps[n - 1];
            if (st.Scenario is null) throw new UsageException($"Step {n} ('{st.Title}') is a discussion step: it runs no scenario.");
            string? dir = parse.GetValue(output) is string o ? Outputs.Folder(o, "--out") : null;
            Console.Out.WriteLine($"Step {n}: {st.Title}\n{st.Activity}\nLook at: {st.Look}\n");
            var result = Simulation.Run(st.Scenario);
            if (dir is not null) result.Write(dir);
            Console.Out.WriteLine("baseline (mean over replicates)");
            foreach (var g in result.Rows.Where(r => r.Arm == "baseline").GroupBy(r => (r.System, r.Party)))
                Console.Out.WriteLine($"  {g.Key.System,-10} {g.Key.Party,-8} share {g.Average(r => r.Share) * 100,5:F1}%  seats {g.Average(r => r.Seats),5:F1}");
            Console.Out.WriteLine("effects of each arm (95% interval over replicates)");
            foreach (var e in result.Effects().Where(e => e.Spend > 0))
                Console.Out.WriteLine(string.Create(ci, $"  {e.Arm,-18} {e.System,-10} {e.Party,-8} Δshare {e.ShareChangePoints.Mean,5:F2} pts ({e.ShareChangePoints.Low:F2}, {e.ShareChangePoints.High:F2})  Δseats {e.SeatChange.Mean,4:F1} ({e.SeatChange.Low:F1}, {e.SeatChange.High:F1})  spend {e.Spend:N0}"));
            // What the cards ask participants to look at: cost per vote, precision, spend in the closest quarter of seats, who was reached.
            Console.Out.WriteLine("each campaign (mean over replicates)");
            foreach (var g in result.Spend.GroupBy(s => (s.Arm, s.Party)))
            {
                var perVote = result.Effects().FirstOrDefault(e => e.Arm == g.Key.Arm && e.Party == g.Key.Party)?.CostPerVote;
                double gini = result.SystemRows.Where(r => r.Arm == g.Key.Arm).Select(r => r.InformationGini).DefaultIfEmpty(double.NaN).Average();
                Console.Out.WriteLine(string.Create(ci, $"  {g.Key.Arm,-18} {g.Key.Party,-8} spend {g.Average(s => s.Spend),8:N0}  cost per extra vote {(perVote is double cv ? cv.ToString("N1", ci) : "—"),7}  precision {g.Average(s => s.Precision):F3}  spend in the closest quarter of seats {g.Average(s => s.MarginalQuarterShare) * 100:F1}%  voters reached {g.Average(s => (double)s.VotersContacted):N0} of {st.Scenario.Voters:N0}  information Gini {gini:F3}"));
            }
            if (result.Violations.Count > 0)
                Console.Out.WriteLine($"violations: {result.Violations.Count} ({result.Violations.Count(v => v.Detected)} detected, {result.Violations.Count(v => v.TakenDown)} taken down, fines {result.Violations.Sum(v => v.Sanction).ToString("N0", ci)})");
            foreach (var q in st.Questions) Console.Out.WriteLine($"? {q.Text}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
