using System.CommandLine;
using System.Globalization;
using Workbench.Regulation;
using Workbench.Experiments;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench lab --out DIR [--scenario S] [--voters N] [--replicates R] [--regimes ..] [--audiences ..] [--caps ..]</c>:
/// precomputes a grid of regulation scenarios and writes an offline HTML page (DIR/index.html) whose Plotly sliders and dropdown
/// redraw seats, turnout change and precision — no server, no network — plus the grid as DIR/lab.json.
/// </summary>
internal sealed class LabCommand : CliCommand
{
    public override Command Build()
    {
        var output = new Option<string>("--out") { Description = "Folder for index.html (the page) and lab.json (the grid).", Required = true };
        var scenario = new Option<string>("--scenario") { Description = "Base scenario (file or built-in; default classroom).", DefaultValueFactory = _ => "classroom" };
        var voters = new Option<int?>("--voters") { Description = "Voters (default: the scenario's); budgets and caps scale with it (minimum audiences count people on the platform and do not)." };
        var replicates = new Option<int>("--replicates") { Description = "Replicates per grid cell (default 4).", DefaultValueFactory = _ => 4 };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores). Results do not depend on it." };
        var regimes = new Option<string>("--regimes") { Description = "Data regimes for the dropdown, comma-separated.", DefaultValueFactory = _ => string.Join(",", LabGrid.Default.Regimes) };
        var audiences = new Option<string>("--audiences") { Description = "Minimum audiences (people on the platform, or none for the regime's own) for the slider, comma-separated.", DefaultValueFactory = _ => "none,200,1000,5000" };
        var caps = new Option<string>("--caps") { Description = "Spending caps per campaign (currency, or none) for the slider, comma-separated.", DefaultValueFactory = _ => "none,30000,20000,10000" };
        var allowOutside = SimulateCommand.AllowOutsidePathsOption();
        var cmd = new Command("lab", "Write the offline regulation lab page: a precomputed grid of regulation scenarios with Plotly sliders and a dropdown (minimum audience, spending cap, data regime) that redraw seats, turnout change and precision.")
        {
            output, scenario, voters, replicates, threads, regimes, audiences, caps, allowOutside,
        };
        cmd.SetAction(parse =>
        {
            string sc = parse.GetValue(scenario)!;
            SimulateCommand.CheckScenario(sc);
            int r = parse.GetValue(replicates);
            if (r is < 1 or > 1000) throw new UsageException($"--replicates must be between 1 and 1000; got {r}.");
            int? v = parse.GetValue(voters);
            if (v is < 1000 or > 50_000_000) throw new UsageException($"--voters must be between 1000 and 50000000; got {v}.");
            var regs = List(parse.GetValue(regimes)!, "--regimes", x => Data.DataRegime.PresetNames.Contains(x) ? x : throw new UsageException($"--regimes: unknown regime '{x}'; known: {string.Join(", ", Data.DataRegime.PresetNames)}."));
            var aud = List(parse.GetValue(audiences)!, "--audiences", x => x == "none" ? (int?)null : int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : throw new UsageException($"--audiences: '{x}' is not a positive whole number or none."));
            var cap = List(parse.GetValue(caps)!, "--caps", x => x == "none" ? (double?)null : double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 ? d : throw new UsageException($"--caps: '{x}' is not a non-negative number or none."));
            var baseScenario = SimulateCommand.LoadScenario(sc, parse.GetValue(allowOutside));
            int t = parse.GetValue(threads) ?? Environment.ProcessorCount;
            if (t < 1 || t > 1024) throw new UsageException($"--threads must be between 1 and 1024; got {t}.");
            SimulateCommand.CheckMemory(baseScenario.With(r, null, v), t);
            string dir = Outputs.Folder(parse.GetValue(output)!, "--out");
            var progress = new Progress<(int Done, int Total)>(p => Console.Error.Write(Console.IsErrorRedirected ? "" : $"\rscenario {p.Done}/{p.Total}"));
            var data = LabPage.Compute(baseScenario, new LabGrid(regs, aud, cap), v, r, t, progress);
            if (!Console.IsErrorRedirected) Console.Error.WriteLine();
            LabPage.Write(dir, data);
            Console.Out.WriteLine($"Wrote the regulation lab ({regs.Count} regimes × {aud.Count} minimum audiences × {cap.Count} caps = {regs.Count * aud.Count * cap.Count} scenarios) to {Path.GetFullPath(Path.Combine(dir, "index.html"))}; open it in any browser, offline.");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static List<T> List<T>(string text, string option, Func<string, T> parse)
    {
        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(parse).ToList();
        if (items.Count is < 1 or > 12) throw new UsageException($"{option} takes 1 to 12 comma-separated values.");
        return items;
    }
}
