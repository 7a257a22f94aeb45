using System.CommandLine;
using System.Globalization;
using Workbench.Experiments;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench workshop CARD.json [--step N [--out DIR] | --pack DIR]</c> (notebooks/workshop/): prints a workshop card's
/// agenda with its discussion questions; with <c>--step N</c> runs that step's scenario (offline) and prints every figure the
/// step declares; with <c>--pack DIR</c> writes the trainer pack (<see cref="TrainerPack"/>) to DIR.
/// </summary>
internal sealed class WorkshopCommand : CliCommand
{
    public override Command Build()
    {
        var card = new Argument<string>("CARD") { Description = "A workshop card (notebooks/workshop/cards/workshop-60.json or workshop-120.json)." };
        var step = new Option<int?>("--step") { Description = "Run step N's scenario (1-based) and print its figures." };
        var output = new Option<string?>("--out") { Description = "With --step: also write the run's results (as workbench simulate --out does)." };
        var pack = new Option<string?>("--pack") { Description = "Write the trainer pack to this folder: handouts per step, expected results, answer sheet, timing plan (offline HTML, index.html links them)." };
        var allowOutside = SimulateCommand.AllowOutsidePathsOption();
        var cmd = new Command("workshop", "Print a workshop card's agenda and questions, run one of its steps offline, or write its trainer pack (policy trainers).") { card, step, output, pack, allowOutside };
        cmd.SetAction(parse =>
        {
            string path = parse.GetValue(card)!;
            if (!File.Exists(path) && !Directory.Exists(path)) throw new UsageException($"Workshop card '{path}' does not exist (cards are in notebooks/workshop/cards).");
            string? packDir = parse.GetValue(pack);
            if (packDir is not null && parse.GetValue(step) is not null) throw new UsageException("--pack writes every step; give either --pack DIR or --step N, not both.");
            if (packDir is not null && parse.GetValue(output) is not null) throw new UsageException("--out goes with --step; --pack DIR writes the pack's pages only.");
            if (packDir is null && parse.GetValue(output) is not null && parse.GetValue(step) is null) throw new UsageException("--out needs --step N (the step whose run it writes).");
            var c = WorkshopCard.Load(Inputs.File(path, "CARD"), parse.GetValue(allowOutside));
            var ci = CultureInfo.InvariantCulture;
            if (packDir is not null)
            {
                string packFolder = Outputs.Folder(packDir, "--pack");
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var built = TrainerPack.Build(c, path, new SyncProgress<TrainerPackProgress>(p => Console.Error.WriteLine($"step {p.Step}/{p.Steps}: running '{p.Title}'")));
                built.Write(packFolder);
                Console.Error.WriteLine(string.Create(ci, $"wrote {built.Pages.Count} pages to {packFolder} in {watch.Elapsed.TotalSeconds:F1} s"));
                Console.Out.WriteLine(Path.Combine(packFolder, "index.html"));
                return ExitCodes.Ok;
            }
            if (parse.GetValue(step) is not int n)
            {
                Console.Out.WriteLine($"{c.Title} — {c.Minutes} minutes, preset {c.Preset}\n{c.Goal}\n");
                int at = 0;
                for (int i = 0; i < c.Steps.Count; i++)
                {
                    var s = c.Steps[i];
                    Console.Out.WriteLine($"{i + 1}. [{at,3}–{at + s.Minutes,3} min] {s.Title}{(s.Scenario is null ? "" : $"   (run: workbench workshop {path} --step {i + 1})")}");
                    Console.Out.WriteLine($"   {s.Activity}");
                    if (s.Figures.Count > 0) Console.Out.WriteLine($"   figures: {string.Join(", ", s.Figures)}");
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
            foreach (var figure in st.Figures)
            {
                var table = WorkshopFigures.Compute(figure, result);
                Console.Out.WriteLine($"{table.Title} [{figure}; mean over {table.Replicates} replicates, 95% interval]");
                foreach (var row in table.Rows) Console.Out.WriteLine($"  {string.Join("  ", row.Keys.Select(k => k.PadRight(18)))}{table.FormatWithInterval(row)}");
            }
            foreach (var q in st.Questions) Console.Out.WriteLine($"? {q.Text}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>Reports on the calling thread, in order (Progress&lt;T&gt; would post to the thread pool and could print after the command ends).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
